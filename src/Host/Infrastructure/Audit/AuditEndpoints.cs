using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The audit log's read side, admin only (<see cref="ExitPolicies.Audit"/>): search, CSV export (itself audited)
/// and a citizen's own access log (dates and purposes; staff identities withheld). The queries and their audit live
/// in <see cref="AuditQueries"/>, which the admin pages use too.
/// </summary>
public static class AuditEndpoints
{
    public const int MaxPageSize = 500;
    public const int MaxExportRows = 100_000;

    public sealed record AuditEntryDto(
        long Id, DateTimeOffset At, string? UserId, string? UserName, string Action, string ResourceType, string? ResourceId,
        string? CitizenId, string? Purpose, string Outcome, string? Ip, string? ApiKeyId);

    public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, int TotalCount, int Page, int PageSize);

    /// <summary>What a citizen may be told: when their data was looked at, what was done, and why; not by whom.</summary>
    public sealed record CitizenAccess(DateTimeOffset At, string Action, string ResourceType, string? Purpose);

    public sealed record CitizenAccessLog(string CitizenId, IReadOnlyList<CitizenAccess> Items);

    public sealed record SearchArgs(
        [property: FromQuery] string? UserId, [property: FromQuery] string? UserName, [property: FromQuery] string? CitizenId,
        [property: FromQuery] DateTimeOffset? From, [property: FromQuery] DateTimeOffset? To, [property: FromQuery] AuditAction? Action,
        [property: FromQuery] AuditOutcome? Outcome, [property: FromQuery] int? Page, [property: FromQuery] int? PageSize);

    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(ExitPolicies.Audit).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", Search).WithName("SearchAuditLog")
            .WithSummary("Audit entries by user, citizen, time range (from inclusive, to exclusive), action and outcome; newest first, paged.");
        group.MapGet("/export", Export).WithName("ExportAuditLog")
            .WithSummary("The same filter as a CSV file (UTF-8); the export is itself audited.");
        group.MapGet("/chain", Chain).WithName("VerifyAuditChain")
            .WithSummary("Verifies the whole hash chain of the audit log; names the first entry that was changed, removed or reordered.");
        // About one citizen: a municipality's administrator only (the national role reads its own scope's log, never a citizen's).
        group.MapGet("/citizens/{citizenId}/access-log", AccessLog).WithName("CitizenAccessLog").RequireAuthorization(ExitPolicies.Admin)
            .WithSummary("For a citizen's request: dates, actions and purposes of accesses to their data; staff identities withheld.");
        return group;
    }

    private static async Task<Ok<AuditPage>> Search([AsParameters] SearchArgs args, AuditQueries audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.SearchAsync(args, ct));

    private static async Task<FileContentHttpResult> Export([AsParameters] SearchArgs args, AuditQueries audit, CancellationToken ct)
    {
        var (content, name) = await audit.ExportCsvAsync(args, ct);
        return TypedResults.File(content, "text/csv; charset=utf-8", name);
    }

    public sealed record ChainReport(bool Intact, long Checked, long? FirstBrokenId, long? LastId);

    private static async Task<Ok<ChainReport>> Chain(AuditQueries audit, CancellationToken ct) => TypedResults.Ok(await audit.VerifyChainAsync(ct));

    private static async Task<Ok<CitizenAccessLog>> AccessLog(string citizenId, AuditQueries audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.CitizenAccessLogAsync(citizenId, ct));
}
