using System.Text.Json;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Loads what the reports compute from, in a few set-based queries (no per-course round trips): courses with their
/// citizens' descriptors, evaluations, the latest revision of each contact (kind and time only, never a note), the
/// completion of each course's handover agreement task, and the staffing table.
/// </summary>
public sealed class ReportData(CtiDbContextFactory contexts, TaskDbContextFactory tasks)
{
    public async Task<IReadOnlyList<ReportCourse>> CoursesAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var courses = await db.Courses.AsNoTracking().Select(c => new { c.Id, c.CitizenId, c.StateJson }).ToListAsync(ct);
        var citizens = await db.Citizens.AsNoTracking()
            .Select(c => new { c.Id, c.AgeBand, c.Gender, c.ProstitutionForm, c.MainIncome, c.Debt, c.MentalHealth, c.SubstanceUse, c.InterpreterNeeded })
            .ToDictionaryAsync(c => c.Id, c => new TargetGroupDescriptors(
                Parse<AgeBand>(c.AgeBand), Parse<Gender>(c.Gender), Parse<ProstitutionForm>(c.ProstitutionForm), Parse<MainIncome>(c.MainIncome),
                Parse<YesNo>(c.Debt), Parse<YesNo>(c.MentalHealth), Parse<YesNo>(c.SubstanceUse), Parse<YesNo>(c.InterpreterNeeded)), ct);
        var evaluations = (await db.Evaluations.AsNoTracking().ToListAsync(ct))
            .Select(CtiQueries.ToEvaluation)
            .ToLookup(e => e.CourseId.Value.ToString());
        var contacts = (await db.Contacts.AsNoTracking()
                .Select(c => new { c.ContactId, c.Revision, c.CourseId, c.Kind, c.StartedAt })
                .ToListAsync(ct))
            .GroupBy(c => c.ContactId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(c => c.Revision)!)
            .ToLookup(c => c.CourseId, c => new ReportContact(Enum.Parse<ContactKind>(c.Kind), c.StartedAt), StringComparer.Ordinal);
        var staffing = await StaffingAsync(ct);
        Dictionary<string, DateTimeOffset> agreements;
        await using (var taskDb = tasks.Create())
        {
            agreements = (await taskDb.Tasks.AsNoTracking()
                    .Where(t => t.Kind == CtiTaskKinds.NetworkAgreement && t.Status == HumanTaskStatus.Completed && t.CorrelationId != null && t.CompletedAt != null)
                    .Select(t => new { t.CorrelationId, t.CompletedAt })
                    .ToListAsync(ct))
                .GroupBy(t => t.CorrelationId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Min(t => t.CompletedAt!.Value), StringComparer.Ordinal);
        }

        var teams = staffing.GroupBy(s => s.Worker, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(s => s.From)!.Team, StringComparer.Ordinal);
        return courses.Select(c =>
        {
            var course = Course.Restore(CourseJson.Deserialize(c.StateJson));
            return new ReportCourse(
                course,
                citizens.GetValueOrDefault(c.CitizenId) ?? TargetGroupDescriptors.None,
                teams.GetValueOrDefault(course.ResponsibleWorkerId.Value),
                evaluations[c.Id].ToList(),
                contacts[c.Id].ToList(),
                agreements.TryGetValue(c.Id, out var agreed) ? agreed : null);
        }).ToList();
    }

    /// <summary>The responsible workers of all courses (for the filters), without loading the courses.</summary>
    public async Task<IReadOnlyList<string>> ResponsibleWorkersAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Courses.AsNoTracking().Select(c => c.ResponsibleWorker).Distinct().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<StaffingPeriod>> StaffingAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return (await db.Staffing.AsNoTracking().ToListAsync(ct))
            .Select(s => new StaffingPeriod(s.WorkerId, s.Team, s.FtePercent / 100m, s.ValidFrom))
            .OrderBy(s => s.Worker, StringComparer.Ordinal).ThenBy(s => s.From)
            .ToList();
    }

    /// <summary>Records a worker's team and full-time equivalent from a date on (a new row; history is kept).</summary>
    public async Task RecordStaffingAsync(string worker, string team, int ftePercent, DateTimeOffset from, string by, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentException.ThrowIfNullOrWhiteSpace(team);
        ArgumentOutOfRangeException.ThrowIfNegative(ftePercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ftePercent, 100);
        await using var db = contexts.Create();
        db.Staffing.Add(new StaffingRecord
        {
            Id = Guid.CreateVersion7(now).ToString(), WorkerId = worker, Team = team.Trim(), FtePercent = ftePercent, ValidFrom = from,
            RecordedBy = by, RecordedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }

    private static T? Parse<T>(string? value) where T : struct, Enum => Enum.TryParse<T>(value, out var v) ? v : null;
}
