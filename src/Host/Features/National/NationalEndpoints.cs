using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.National;

/// <summary>
/// <c>GET /api/national/report</c>: the cross-municipality report as JSON (national role). Filters <c>year</c>,
/// <c>quarter</c> (of the course start) and <c>goal</c>, checked as the municipality reports check them (400 naming
/// each bad one). Every read is audited.
/// </summary>
public static class NationalEndpoints
{
    public static IEndpointRouteBuilder MapNationalReport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/national/report", Report)
            .WithName("NationalReport")
            .WithTags("National")
            .RequireAuthorization(NationalPolicies.Report)
            .AddEndpointFilter<ProblemMappingFilter>();
        return app;
    }

    /// <summary>Reads the filters with the municipality reports' own rules (team and worker are not national filters).</summary>
    public static NationalFilter Filter(int? year, int? quarter, string? goal)
    {
        var f = ReportEndpoints.Filter(year, quarter, null, null, goal, false);
        return new NationalFilter(f.Year, f.Quarter, f.Goal);
    }

    private static async Task<IResult> Report(
        NationalReportService reports, IAuditLog audit, CancellationToken ct,
        [FromQuery] int? year = null, [FromQuery] int? quarter = null, [FromQuery] string? goal = null)
    {
        var report = await reports.ComputeAsync(Filter(year, quarter, goal), ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Read, ResourceType, null, null, Purpose), ct: CancellationToken.None);
        return TypedResults.Ok(report);
    }

    public const string ResourceType = "national-report";
    public const string Purpose = "national: cross-municipality report";
}
