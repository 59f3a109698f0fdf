using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Reports;

/// <summary>
/// <c>GET /api/cti/staffing</c> lists and <c>POST /api/cti/staffing</c> records a CTI worker's team and full-time
/// equivalent from a date on: the staffing the fidelity report's caseload-against-limit and team filter read. Rows are
/// added, never changed (history is kept); a second row for the same worker and date answers 409. Managers only
/// (<see cref="ExitPolicies.Reports"/>); audited by the CTI access filter. Services are named as such so a host without
/// the identity store (the CTI API test host) still maps the endpoints.
/// </summary>
public static class StaffingEndpoints
{
    public sealed record StaffingRequest(string? Worker, string? Team, decimal? FullTimeEquivalent, string? From);

    public sealed record StaffingRow(string Worker, string Team, decimal FullTimeEquivalent, DateOnly From, string RecordedBy, DateTimeOffset RecordedAt);

    /// <summary>A valid staffing row: the worker's user name as stored, team trimmed, percent, Copenhagen midnight of the date.</summary>
    public sealed record ValidStaffing(string Worker, string Team, int FtePercent, DateTimeOffset From);

    public const int MaxTeamLength = 100;

    public static RouteGroupBuilder MapStaffing(this RouteGroupBuilder group)
    {
        group.MapGet("/cti/staffing", List).WithName("ListStaffing");
        group.MapPost("/cti/staffing", Record).WithName("RecordStaffing");
        return group;
    }

    /// <summary>
    /// Checks a staffing entry, naming each bad field: a known CTI worker (a user with the worker role), a team, a full-time
    /// equivalent from 0 to 1 in whole percent (0: the worker has left), a date (yyyy-MM-dd).
    /// </summary>
    public static async Task<(ValidStaffing? Valid, IReadOnlyList<ValidationFailure> Failures)> ValidateAsync(
        string? worker, string? team, decimal? fullTimeEquivalent, string? from, UserManager<IdentityUser> users, CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        string? known = null;
        if (string.IsNullOrWhiteSpace(worker)) failures.Add(new("worker", "A CTI worker (user name) is required."));
        else
        {
            // The workers of the caller's municipality only: another municipality's staff is not one's own to staff.
            var workers = await UserMunicipalities.UserNamesInRoleAsync(users, ExitRoles.Worker, ct);
            known = workers.FirstOrDefault(w => string.Equals(w, worker.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null) failures.Add(new("worker", "No CTI worker with that user name."));
        }

        if (string.IsNullOrWhiteSpace(team)) failures.Add(new("team", "A team is required."));
        else if (team.Trim().Length > MaxTeamLength) failures.Add(new("team", $"At most {MaxTeamLength} characters."));
        if (fullTimeEquivalent is not { } fte) failures.Add(new("fullTimeEquivalent", "Required: from 0 to 1 (1 = full time)."));
        else if (fte is < 0m or > 1m || fte * 100 != decimal.Truncate(fte * 100))
            failures.Add(new("fullTimeEquivalent", "From 0 to 1 in whole percent (e.g. 0.8)."));
        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(from)) failures.Add(new("from", "A date (yyyy-MM-dd) is required."));
        else if (!DateOnly.TryParseExact(from.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date)
                 || date.Year is < 2000 or > 2100)
            failures.Add(new("from", "A date between 2000 and 2100 as yyyy-MM-dd."));
        if (failures.Count > 0) return (null, failures);
        return (new ValidStaffing(known!, team!.Trim(), (int)(fullTimeEquivalent!.Value * 100),
            CopenhagenCalendar.FromWallClock(date.ToDateTime(TimeOnly.MinValue))), []);
    }

    public static StaffingRow ToRow(StaffingEntry e) => new(
        e.Worker, e.Team, e.FtePercent / 100m, DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(e.From).DateTime), e.RecordedBy, e.RecordedAt);

    private static async Task<Ok<IReadOnlyList<StaffingRow>>> List([FromServices] ReportData data, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<StaffingRow>>((await data.StaffingEntriesAsync(ct)).Select(ToRow).ToList());

    private static async Task<IResult> Record(
        StaffingRequest body, [FromServices] ReportData data, [FromServices] UserManager<IdentityUser> users, HttpContext http,
        [FromServices] TimeProvider clock, CancellationToken ct)
    {
        var (valid, failures) = await ValidateAsync(body.Worker, body.Team, body.FullTimeEquivalent, body.From, users, ct);
        if (valid is null) throw new RequestValidationException(failures);
        var now = clock.GetUtcNow();
        var by = http.User.Identity?.Name ?? "unknown";
        if (!await data.RecordStaffingAsync(valid.Worker, valid.Team, valid.FtePercent, valid.From, by, now, ct))
        {
            return TypedResults.Problem(
                title: "Conflict", detail: $"{valid.Worker} already has staffing from {body.From!.Trim()}; rows are not changed, record another date.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["from"] = ["Already recorded for this worker and date."] } });
        }

        var row = new StaffingRow(valid.Worker, valid.Team, valid.FtePercent / 100m, DateOnly.ParseExact(body.From!.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), by, now);
        return TypedResults.Created("/api/cti/staffing", row);
    }
}
