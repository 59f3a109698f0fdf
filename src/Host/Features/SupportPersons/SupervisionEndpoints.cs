using System.Security.Claims;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.SupportPersons;

/// <summary>
/// Supervision series under <c>/api/supervision</c>: the series (each SKP team's monthly one, the workers') with their
/// sessions in a period — for the psychologist (supervisor role, notes included) and managers (attendance, no notes) — and
/// recording a session as held with attendance and a note per SKP (supervisor only). Audited.
/// </summary>
public static class SupervisionEndpoints
{
    public sealed record AttendanceLine(Guid? SupportPersonId, bool Attended, string? Note);

    public sealed record HoldRequest(string? HeldOn, string? Format, AttendanceLine[]? Attendance);

    public static RouteGroupBuilder MapSupervisionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/supervision").WithTags("Supervision")
            .AddEndpointFilter<SupportPersonProblemFilter>().AddEndpointFilter<ProblemMappingFilter>()
            .WithMetadata(new AuditedResourceAttribute("supervision-session"));
        group.MapGet("/series", Series).WithName("SupervisionSeries").RequireAuthorization(ExitPolicies.Supervision)
            .WithSummary("Supervision series (one per SKP team, monthly; the workers' at their cadence) with sessions whose period starts in from–to (default: six months back to one ahead).");
        group.MapPost("/sessions/{sessionId:guid}/held", Hold).WithName("HoldSupervisionSeriesSession").RequireAuthorization(ExitPolicies.Supervisor)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SeriesView>>> Series(
        ClaimsPrincipal user, SupervisionSeriesService series, IAuditLog audit, TimeProvider clock, CancellationToken ct,
        [FromQuery] DateOnly? from = null, [FromQuery] DateOnly? to = null)
    {
        var today = SupervisionCalendar.Today(clock.GetUtcNow());
        var f = from ?? new DateOnly(today.Year, today.Month, 1).AddMonths(-6);
        var t = to ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        if (t < f) throw new RequestValidationException([new("to", "The period ends before it starts.")]);
        var list = await series.SeriesAsync(f, t, withNotes: user.IsInRole(ExitRoles.Supervisor), ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Search, "supervision-series", null, null, "supervision"), ct: CancellationToken.None);
        return TypedResults.Ok(list);
    }

    private static async Task<Ok<SessionView>> Hold(
        Guid sessionId, HoldRequest body, ClaimsPrincipal user, SupervisionSeriesService series, IAuditLog audit, CancellationToken ct)
    {
        var problems = new List<SupportPersonProblem>();
        var lines = body.Attendance ?? [];
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].SupportPersonId is null) problems.Add(new($"attendance[{i}].supportPersonId", "Required."));
        if (problems.Count > 0) throw new SupportPersonValidationException(problems);
        var view = await series.RecordAsync(sessionId, body.HeldOn, body.Format,
            lines.Select(l => new AttendanceInput(l.SupportPersonId!.Value, l.Attended, l.Note)).ToList(), user.Identity?.Name ?? "api", ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "supervision-session", sessionId.ToString(), null, "supervision"), ct: CancellationToken.None);
        return TypedResults.Ok(view);
    }
}
