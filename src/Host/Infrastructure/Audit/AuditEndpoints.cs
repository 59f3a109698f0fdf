using System.Globalization;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The audit log's read side, admin only (<see cref="ExitPolicies.Audit"/>): search, CSV export (itself audited)
/// and a citizen's own access log (dates and purposes; staff identities withheld).
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
        group.MapGet("/citizens/{citizenId}/access-log", AccessLog).WithName("CitizenAccessLog")
            .WithSummary("For a citizen's request: dates, actions and purposes of accesses to their data; staff identities withheld.");
        return group;
    }

    private static async Task<Ok<AuditPage>> Search([AsParameters] SearchArgs args, ExitIdentityDbContext db, CancellationToken ct)
    {
        var page = Math.Max(0, args.Page ?? 0);
        var size = Math.Clamp(args.PageSize ?? 100, 1, MaxPageSize);
        var query = Filter(db, args);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(page * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage(items.Select(ToDto).ToList(), total, page, size));
    }

    private static async Task<FileContentHttpResult> Export([AsParameters] SearchArgs args, ExitIdentityDbContext db, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var rows = await Filter(db, args).OrderBy(e => e.At).ThenBy(e => e.Id).Take(MaxExportRows).ToListAsync(ct);
        var csv = new StringBuilder();
        csv.Append("id,at,userId,userName,action,resourceType,resourceId,citizenId,purpose,outcome,ip,apiKeyId\r\n");
        foreach (var e in rows)
        {
            csv.AppendJoin(',', [
                e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), Cell(e.UserId), Cell(e.UserName),
                e.Action.ToString(), Cell(e.ResourceType), Cell(e.ResourceId), Cell(e.CitizenId), Cell(e.Purpose), e.Outcome.ToString(), Cell(e.Ip), Cell(e.ApiKeyId)]);
            csv.Append("\r\n");
        }

        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "audit-log", null, args.CitizenId, $"audit export of {rows.Count} rows"), ct: ct);
        var name = $"exit-audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", name);
    }

    public sealed record ChainReport(bool Intact, long Checked, long? FirstBrokenId, long? LastId);

    private static async Task<Ok<ChainReport>> Chain(ExitIdentityDbContext db, CancellationToken ct)
    {
        var result = await AuditChain.VerifyAsync(db, tail: null, ct);
        return TypedResults.Ok(new ChainReport(result.Intact, result.Checked, result.FirstBrokenId, result.LastId));
    }

    private static async Task<Ok<CitizenAccessLog>> AccessLog(string citizenId, ExitIdentityDbContext db, IAuditLog audit, CancellationToken ct)
    {
        var items = await db.AuditEntries.AsNoTracking()
            .Where(e => e.CitizenId == citizenId && e.Outcome == AuditOutcome.Allowed)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CitizenAccess(e.At, e.Action.ToString(), e.ResourceType, e.Purpose))
            .ToListAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "citizen-access-log", citizenId, citizenId, "citizen's request for their access log"), ct: ct);
        return TypedResults.Ok(new CitizenAccessLog(citizenId, items));
    }

    private static IQueryable<AuditEntry> Filter(ExitIdentityDbContext db, SearchArgs args)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(args.UserId)) query = query.Where(e => e.UserId == args.UserId);
        if (!string.IsNullOrEmpty(args.UserName)) query = query.Where(e => e.UserName == args.UserName);
        if (!string.IsNullOrEmpty(args.CitizenId)) query = query.Where(e => e.CitizenId == args.CitizenId);
        if (args.From is { } from) query = query.Where(e => e.At >= from);
        if (args.To is { } to) query = query.Where(e => e.At < to);
        if (args.Action is { } action) query = query.Where(e => e.Action == action);
        if (args.Outcome is { } outcome) query = query.Where(e => e.Outcome == outcome);
        return query;
    }

    private static AuditEntryDto ToDto(AuditEntry e) =>
        new(e.Id, e.At, e.UserId, e.UserName, e.Action.ToString(), e.ResourceType, e.ResourceId, e.CitizenId, e.Purpose, e.Outcome.ToString(), e.Ip, e.ApiKeyId);

    /// <summary>RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
