using System.Security.Claims;
using Exit.Activities.Privacy;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Privacy;

/// <summary>
/// A citizen's rights, carried out by an administrator (the admin role sees no citizen data otherwise; these two
/// actions are the exception, and each is audited): erasure on request (GDPR art. 17) with a receipt, and the
/// export of everything held about the citizen (art. 15) as one document.
/// </summary>
public static class CitizenDataEndpoints
{
    public sealed record EraseRequest(string? Reason);

    /// <summary>The receipt: which citizen id, when, why, and how many records each module deleted. It names no alias or CPR number.</summary>
    public sealed record ErasureReceipt(Guid ReceiptId, string CitizenId, DateTimeOffset ErasedAt, string Reason, int Courses, IReadOnlyDictionary<string, int> RemovedByModule);

    public sealed record CitizenDataDocument(string CitizenId, DateTimeOffset ProducedAt, IReadOnlyList<CitizenDataSection> Sections);

    public static RouteGroupBuilder MapCitizenDataEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/citizens").WithTags("Privacy").RequireAuthorization(ExitPolicies.Admin).AddEndpointFilter<ProblemMappingFilter>();
        group.MapPost("/{citizenId}/erase", Erase).WithName("EraseCitizen")
            .WithSummary("Erases the citizen and everything held about them (GDPR art. 17); refused while a course runs. Returns a receipt.");
        group.MapGet("/{citizenId}/data", Export).WithName("ExportCitizenData")
            .WithSummary("Everything held about the citizen (GDPR art. 15) as a Danish HTML document, or JSON with ?format=json.");
        return group;
    }

    private static async Task<Results<Ok<ErasureReceipt>, NotFound, ProblemHttpResult>> Erase(
        string citizenId, EraseRequest? body, CitizenDataService data, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
            throw new RequestValidationException([new("reason", "Say why the citizen is erased (e.g. the request and its date); it goes on the receipt.")]);
        var scope = await data.ResolveAsync(citizenId, ct);
        if (scope is null)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Delete, "citizen", citizenId, citizenId, "erasure on request: no such citizen", AuditOutcome.Denied), ct: ct);
            return TypedResults.NotFound();
        }
        if (scope.Courses.Any(c => !c.Ended))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The citizen has a running course",
                detail: "A running course is a case in progress that the municipality must keep; end the course first, then erase.");

        var receiptId = Guid.NewGuid();
        var result = await data.EraseAsync(scope, ct);
        // The entry keeps who, when and what, with the citizen id only: the alias and CPR number were never in the audit log.
        await audit.WriteAsync(new AuditRecord(AuditAction.Delete, "citizen", citizenId, citizenId, $"erasure on request (GDPR art. 17), receipt {receiptId}"), ct: CancellationToken.None);
        return TypedResults.Ok(new ErasureReceipt(receiptId, citizenId, clock.GetUtcNow(), body.Reason.Trim(), scope.Courses.Count, result.RemovedByModule));
    }

    private static async Task<IResult> Export(
        string citizenId, CitizenDataService data, IAuditLog audit, Auth.ExitIdentityDbContext auditDb, TimeProvider clock, CancellationToken ct,
        [FromQuery] string? format = null)
    {
        var scope = await data.ResolveAsync(citizenId, ct);
        if (scope is null) return TypedResults.NotFound();
        var sections = new List<CitizenDataSection>(await data.ExportAsync(scope, ct)) { await AccessLogAsync(auditDb, citizenId, ct) };
        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "citizen-data", citizenId, citizenId, "citizen's request for the data held (GDPR art. 15)"), ct: CancellationToken.None);
        var document = new CitizenDataDocument(citizenId, clock.GetUtcNow(), sections);
        return string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Ok(document)
            : TypedResults.Content(CitizenDataHtml.Render(document), "text/html; charset=utf-8");
    }

    /// <summary>The access log as the citizen may see it: when, what and why; never by whom.</summary>
    private static async Task<CitizenDataSection> AccessLogAsync(Auth.ExitIdentityDbContext db, string citizenId, CancellationToken ct)
    {
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => e.CitizenId == citizenId && e.Outcome == AuditOutcome.Allowed)
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        return new CitizenDataSection("Adgangslog", [.. entries.Select(e => new CitizenDataRecord(
            e.At.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC",
            [new("Handling", e.Action.ToString(), "auditAction."), new("Hvad", e.ResourceType), new("Formål", e.Purpose)]))]);
    }
}
