using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.SupportPersons.Supervision;

/// <summary>
/// Supervision held per month for the fidelity report, now that supervision is a series per team: the held sessions of
/// the workers' series and of the SKP teams, plus the per-course supervision tasks completed before the series
/// replaced them (their history still counts; new courses raise none). With a team or worker filter the SKP teams'
/// sessions count when the team has a match with one of the filtered courses; the workers' series always counts,
/// because it is the whole CTI team's supervision. The workers' series and the SKP teams are counted apart (the method asks
/// weekly team supervision of workers and monthly supervision of SKPs); the per-course history counts as SKP supervision.
/// </summary>
public sealed class SupervisionHeldFromSeries(SupportPersonsDbContextFactory contexts, TaskDbContextFactory tasks) : ISupervisionHeld
{
    private readonly CompletedSupervisionTasks perCourseHistory = new(tasks);

    public async Task<IReadOnlyList<SupervisionMonth>> PerMonthAsync(IReadOnlyList<DateOnly> months, IReadOnlySet<string>? courseIds, CancellationToken ct)
    {
        if (months.Count == 0) return [];
        var history = (await perCourseHistory.PerMonthAsync(months, courseIds, ct)).ToDictionary(m => m.Month, m => m.SupportPersons);

        await using var db = contexts.Create();
        var series = await db.Series.AsNoTracking().Select(s => new { s.Id, s.Kind, s.Team }).ToListAsync(ct);
        HashSet<string>? teams = null;
        if (courseIds is not null)
        {
            var matched = await db.Matches.AsNoTracking().Select(m => new { m.CourseId, m.SupportPersonId }).ToListAsync(ct);
            var people = matched.Where(m => courseIds.Contains(m.CourseId)).Select(m => m.SupportPersonId).ToHashSet(StringComparer.Ordinal);
            teams = (await db.SupportPersons.AsNoTracking().Select(p => new { p.Id, p.Team }).ToListAsync(ct))
                .Where(p => people.Contains(p.Id)).Select(p => p.Team.Trim().ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        }

        var counted = series
            .Where(s => s.Kind == nameof(SupervisionSeriesKind.Workers) || teams is null || (s.Team is { } t && teams.Contains(t.Trim().ToUpperInvariant())))
            .ToDictionary(s => s.Id, s => s.Kind == nameof(SupervisionSeriesKind.Workers), StringComparer.Ordinal);
        var held = await db.Sessions.AsNoTracking()
            .Where(s => s.Status == nameof(SupervisionSessionStatus.Held) && s.HeldOn != null)
            .Select(s => new { s.SeriesId, s.HeldOn })
            .ToListAsync(ct);
        // Per month: (sessions of the workers' series, sessions of SKP teams).
        var perMonth = held
            .Where(s => counted.ContainsKey(s.SeriesId))
            .Select(s => (Day: SupervisionCalendar.Parse(s.HeldOn!), Workers: counted[s.SeriesId]))
            .GroupBy(s => new DateOnly(s.Day.Year, s.Day.Month, 1))
            .ToDictionary(g => g.Key, g => (Workers: g.Count(s => s.Workers), Skp: g.Count(s => !s.Workers)));
        return months.Select(m => new SupervisionMonth(
                m, perMonth.GetValueOrDefault(m).Workers, history.GetValueOrDefault(m) + perMonth.GetValueOrDefault(m).Skp))
            .ToList();
    }
}
