using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Ui;

public sealed record UiCourseRow(Guid CourseId, string CitizenId, string Alias, string Status, string CurrentPeriod, string Worker,
    DateTimeOffset Start, DateTimeOffset PlannedEnd);

/// <summary>An overdue step for the manager's view: ids, kinds and dates only (no alias, no task data).</summary>
public sealed record UiOverdueRow(string TaskId, string Title, string? Kind, string? Assignee, string? Role, string? CourseId, string Period,
    DateTimeOffset DueAt, int DaysOverdue);

public sealed record UiCaseloadRow(string Worker, int ActiveCourses, int PausedCourses, int OpenTasks, int OverdueTasks, int Limit)
{
    public bool OverLimit => ActiveCourses > Limit;
    public bool AtLimit => ActiveCourses >= Limit;
}

public sealed record UiLifeAreaMeans(LifeArea Area, double Start, double End, int Courses);

/// <summary>
/// Read models the pages need that the application services do not offer (lists per worker, the team's overdue steps
/// with their phase, caseload figures, mean life-area ratings). Projections, no tracking.
/// </summary>
public sealed class UiQueries(CtiDbContextFactory cti, TaskDbContextFactory tasks, TimeProvider clock)
{
    private static readonly string[] Ended = [nameof(CourseStatus.Completed), nameof(CourseStatus.Cancelled)];

    public async Task<string?> ResponsibleWorkerAsync(Guid courseId, CancellationToken ct)
    {
        var id = courseId.ToString();
        await using var db = cti.Create();
        return await db.Courses.AsNoTracking().Where(c => c.Id == id).Select(c => c.ResponsibleWorker).FirstOrDefaultAsync(ct);
    }

    public async Task<Exit.Host.Infrastructure.Auth.CourseRef?> CourseRefAsync(Guid courseId, CancellationToken ct)
    {
        var id = courseId.ToString();
        await using var db = cti.Create();
        return await db.Courses.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new Exit.Host.Infrastructure.Auth.CourseRef(c.Id, c.CitizenId, c.ResponsibleWorker)).FirstOrDefaultAsync(ct);
    }

    /// <summary>The distinct citizens behind these course ids.</summary>
    public async Task<IReadOnlyList<string>> CitizensOfAsync(IEnumerable<string> courseIds, CancellationToken ct)
    {
        var ids = courseIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        await using var db = cti.Create();
        return await db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.CitizenId).Distinct().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<UiCourseRow>> CoursesOfAsync(string worker, CancellationToken ct)
    {
        await using var db = cti.Create();
        var rows = await db.Courses.AsNoTracking().Where(c => c.ResponsibleWorker == worker).ToListAsync(ct);
        return await WithAliasesAsync(db, rows, ct);
    }

    public async Task<UiCourseRow?> CourseAsync(Guid courseId, CancellationToken ct)
    {
        var id = courseId.ToString();
        await using var db = cti.Create();
        var rows = await db.Courses.AsNoTracking().Where(c => c.Id == id).ToListAsync(ct);
        return (await WithAliasesAsync(db, rows, ct)).FirstOrDefault();
    }

    /// <summary>Course id → citizen alias, for the given courses of one worker (the caller has checked the caseload).</summary>
    public async Task<IReadOnlyDictionary<string, string>> AliasesAsync(string worker, CancellationToken ct)
    {
        await using var db = cti.Create();
        var pairs = await (from c in db.Courses.AsNoTracking()
                           join z in db.Citizens.AsNoTracking() on c.CitizenId equals z.Id
                           where c.ResponsibleWorker == worker
                           select new { c.Id, z.Alias }).ToListAsync(ct);
        return pairs.ToDictionary(p => p.Id, p => p.Alias);
    }

    public async Task<IReadOnlyList<UiOverdueRow>> OverdueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ticks = now.UtcTicks;
        List<TaskRecord> overdue;
        await using (var db = tasks.Create())
        {
            overdue = await db.Tasks.AsNoTracking()
                .Where(t => t.Status == HumanTaskStatus.Open && t.DueOrder < ticks)
                .OrderBy(t => t.DueOrder).ThenBy(t => t.Id)
                .Take(2000)
                .ToListAsync(ct);
        }

        var courseIds = overdue.Select(t => t.CorrelationId).OfType<string>().Distinct().ToList();
        Dictionary<string, string> periods;
        await using (var db = cti.Create())
        {
            periods = await db.Courses.AsNoTracking().Where(c => courseIds.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => c.CurrentPeriod, ct);
        }

        return overdue.Select(t => new UiOverdueRow(
                t.Id, t.Title, t.Kind, t.Assignee, t.Role, t.CorrelationId,
                t.CorrelationId is { } c && periods.TryGetValue(c, out var p) ? p : "",
                t.DueAt!.Value, Math.Max(0, (int)Math.Floor((now - t.DueAt.Value).TotalDays))))
            .ToList();
    }

    public async Task<IReadOnlyList<UiCaseloadRow>> CaseloadAsync(CancellationToken ct)
    {
        var ticks = clock.GetUtcNow().UtcTicks;
        List<(string Worker, string Status)> courses;
        await using (var db = cti.Create())
        {
            courses = (await db.Courses.AsNoTracking().Where(c => !Ended.Contains(c.Status))
                .Select(c => new { c.ResponsibleWorker, c.Status }).ToListAsync(ct))
                .Select(c => (c.ResponsibleWorker, c.Status)).ToList();
        }

        List<(string? Assignee, bool Overdue)> open;
        await using (var db = tasks.Create())
        {
            open = (await db.Tasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Open && t.Assignee != null)
                .Select(t => new { t.Assignee, Overdue = t.DueOrder < ticks }).ToListAsync(ct))
                .Select(t => (t.Assignee, t.Overdue)).ToList();
        }

        var workers = courses.Select(c => c.Worker).Concat(open.Select(o => o.Assignee).OfType<string>()).Distinct().Order(StringComparer.Ordinal);
        return workers.Select(w => new UiCaseloadRow(
                w,
                courses.Count(c => c.Worker == w),
                courses.Count(c => c.Worker == w && c.Status == nameof(CourseStatus.Paused)),
                open.Count(o => o.Assignee == w),
                open.Count(o => o.Assignee == w && o.Overdue),
                Caseload.MaxCitizensPerFullTimeWorker))
            .ToList();
    }

    /// <summary>Workers a course or task can be handed to: everyone who has courses or tasks (until a user directory exists).</summary>
    public async Task<IReadOnlyList<string>> KnownWorkersAsync(CancellationToken ct)
    {
        List<string> fromCourses;
        await using (var db = cti.Create())
            fromCourses = await db.Courses.AsNoTracking().Select(c => c.ResponsibleWorker).Distinct().ToListAsync(ct);
        List<string?> fromTasks;
        await using (var db = tasks.Create())
            fromTasks = await db.Tasks.AsNoTracking().Where(t => t.Assignee != null).Select(t => t.Assignee).Distinct().ToListAsync(ct);
        return fromCourses.Concat(fromTasks.OfType<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Course id → responsible worker for the given courses (supervision participants).</summary>
    public async Task<IReadOnlyDictionary<string, string>> WorkersOfAsync(IEnumerable<string> courseIds, CancellationToken ct)
    {
        var ids = courseIds.Distinct().ToList();
        await using var db = cti.Create();
        return await db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ResponsibleWorker, ct);
    }

    /// <summary>Mean rating per life area at baseline and at final, over courses rated at both (first baseline, last final).</summary>
    public async Task<IReadOnlyList<UiLifeAreaMeans>> LifeAreaMeansAsync(CancellationToken ct)
    {
        await using var db = cti.Create();
        var rows = await db.Evaluations.AsNoTracking()
            .Where(e => e.LifeSituationJson != null && (e.Kind == nameof(EvaluationKind.Baseline) || e.Kind == nameof(EvaluationKind.Final)))
            .Select(e => new { e.CourseId, e.Kind, e.Date, e.LifeSituationJson })
            .ToListAsync(ct);
        var pairs = rows.GroupBy(r => r.CourseId)
            .Select(g => (Start: g.Where(r => r.Kind == nameof(EvaluationKind.Baseline)).OrderBy(r => r.Date).FirstOrDefault(),
                          End: g.Where(r => r.Kind == nameof(EvaluationKind.Final)).OrderBy(r => r.Date).LastOrDefault()))
            .Where(p => p.Start is not null && p.End is not null)
            .Select(p => (Start: Parse(p.Start!.LifeSituationJson!), End: Parse(p.End!.LifeSituationJson!)))
            .ToList();
        return Enum.GetValues<LifeArea>().Select(a => new UiLifeAreaMeans(
                a,
                pairs.Count == 0 ? 0 : pairs.Average(p => p.Start.GetValueOrDefault(a.ToString())),
                pairs.Count == 0 ? 0 : pairs.Average(p => p.End.GetValueOrDefault(a.ToString())),
                pairs.Count))
            .ToList();

        static Dictionary<string, int> Parse(string json) => JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];
    }

    private static async Task<IReadOnlyList<UiCourseRow>> WithAliasesAsync(CtiDbContext db, List<CourseRecord> rows, CancellationToken ct)
    {
        var citizenIds = rows.Select(r => r.CitizenId).Distinct().ToList();
        var aliases = await db.Citizens.AsNoTracking().Where(c => citizenIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Alias, ct);
        return rows
            .OrderBy(r => Ended.Contains(r.Status)).ThenBy(r => r.StartDate)
            .Select(r => new UiCourseRow(Guid.Parse(r.Id), r.CitizenId, aliases.GetValueOrDefault(r.CitizenId, "?"), r.Status, r.CurrentPeriod,
                r.ResponsibleWorker, r.StartDate, r.PlannedEnd))
            .ToList();
    }
}
