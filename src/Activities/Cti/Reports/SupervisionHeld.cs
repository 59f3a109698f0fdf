using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Supervision sessions held per month, for the fidelity report. Supervision is kept by the support-and-contact-person
/// module's series, which registers its own implementation; <see cref="CompletedSupervisionTasks"/> is the per-course
/// history (and the measure where that module is not installed).
/// </summary>
public interface ISupervisionHeld
{
    /// <summary>Sessions held in each month of <paramref name="months"/> (by its first day) about the given courses (null: all).</summary>
    Task<IReadOnlyList<SupervisionMonth>> PerMonthAsync(IReadOnlyList<DateOnly> months, IReadOnlySet<string>? courseIds, CancellationToken ct);
}

/// <summary>
/// The per-course measure: completed supervision tasks, one session per completion day and supervisor (a group session
/// completes one task per course at once). A team or worker filter keeps the sessions about their courses. The task is the
/// course's supervision of its support-and-contact person (monthly, <see cref="Domain.CoursePlanSettings.SupervisionCadence"/>),
/// so these sessions count as SKP supervision.
/// </summary>
public sealed class CompletedSupervisionTasks(TaskDbContextFactory tasks) : ISupervisionHeld
{
    public async Task<IReadOnlyList<SupervisionMonth>> PerMonthAsync(IReadOnlyList<DateOnly> months, IReadOnlySet<string>? courseIds, CancellationToken ct)
    {
        if (months.Count == 0) return [];
        var from = CopenhagenCalendar.FromWallClock(months[0].ToDateTime(TimeOnly.MinValue));
        var to = CopenhagenCalendar.FromWallClock(months[^1].AddMonths(1).ToDateTime(TimeOnly.MinValue));
        await using var db = tasks.Create();
        var rows = await db.Tasks.AsNoTracking()
            .Where(t => t.Kind == CtiTaskKinds.Supervision && t.Status == HumanTaskStatus.Completed && t.CompletedAt != null)
            .Select(t => new { t.CompletedAt, t.CompletedBy, t.CorrelationId })
            .ToListAsync(ct);
        var sessions = rows
            .Where(r => r.CompletedAt >= from && r.CompletedAt < to)
            .Where(r => courseIds is null || courseIds.Contains(r.CorrelationId ?? ""))
            .Select(r => (Day: DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(r.CompletedAt!.Value).DateTime), By: r.CompletedBy ?? ""))
            .Distinct()
            .GroupBy(d => new DateOnly(d.Day.Year, d.Day.Month, 1))
            .ToDictionary(g => g.Key, g => g.Count());
        return months.Select(m => new SupervisionMonth(m, Workers: 0, SupportPersons: sessions.GetValueOrDefault(m))).ToList();
    }
}
