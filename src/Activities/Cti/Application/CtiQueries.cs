using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Application;

/// <summary>One step of a course's timeline: planned by the method, and the task record raised for it, if any.</summary>
public sealed record CourseTimelineItem(
    string Kind,
    string Period,
    DateTimeOffset Due,
    bool IsPast,
    string? TaskId,
    string? TaskStatus,
    string? Assignee);

public sealed record CourseTimelineView(
    Guid CourseId,
    string Status,
    string CurrentPeriod,
    string ResponsibleWorker,
    DateTimeOffset Start,
    DateTimeOffset PlannedEnd,
    IReadOnlyList<PeriodSchedule> Periods,
    IReadOnlyList<CourseTimelineItem> Planned,
    IReadOnlyList<CourseTimelineItem> Tasks,
    IReadOnlyDictionary<string, IReadOnlyList<string>> FocusAreas,
    IReadOnlyList<CoursePlanActivity> ActivityPlan,
    IReadOnlyList<CourseNetworkMember> Network,
    IReadOnlyDictionary<string, string> Rhythm,
    IReadOnlyList<RhythmChange> RhythmChanges,
    CourseEnding? Ending,
    string Outcome,
    DateTimeOffset? NextContactDue);

/// <summary>How many courses ended how: completed, dropped out, ended at the clarification, still running.</summary>
public sealed record CourseOutcomeCounts(int Completed, int DroppedOut, int EndedAtClarification, int Running);

/// <summary>A line of the course's activity plan, as agreed with the citizen in phase 1 and adjusted in phase 2.</summary>
public sealed record CoursePlanActivity(Guid Id, string Text, string FocusArea, string Phase, string Status);

/// <summary>Someone in the citizen's support network; <see cref="ReceivesHandover"/> marks the named receiving actor.</summary>
public sealed record CourseNetworkMember(
    Guid Id, string Role, string? Name, string? Organisation, string? Contact, bool ReceivesHandover,
    string? RoleInPlan = null, IReadOnlyList<string>? FocusAreas = null, string Status = nameof(NetworkMemberStatus.Active))
{
    public static CourseNetworkMember From(SupportNetworkMember m, Guid? recipient) => new(
        m.Id, m.Role.ToString(), m.Name, m.Organisation, m.Contact, m.Id == recipient, m.RoleInPlan,
        (m.FocusAreas ?? []).Select(a => a.ToString()).ToList(), m.Status.ToString());
}

/// <summary>
/// Open supervision tasks that can be held as one (group) session: same due time, same supervisor (user or role)
/// and same group key. One task per course; completing the session completes each.
/// </summary>
public sealed record SupervisionSession(
    DateTimeOffset DueAt,
    string? Supervisor,
    string? Role,
    string? GroupKey,
    IReadOnlyList<string> TaskIds,
    IReadOnlyList<string> CourseIds);

/// <summary>Which courses an outcome report covers: explicit ids, or all courses (optionally only completed ones).</summary>
public sealed record OutcomeReportFilter(IReadOnlyList<Guid>? CourseIds = null, bool CompletedOnly = false);

/// <summary>Read side of CTI: course timelines and the Exit Prostitution outcome report. No tracking.</summary>
public sealed class CtiQueries(CtiDbContextFactory contexts, TaskDbContextFactory tasks, TimeProvider clock)
{
    /// <summary>The responsible workers of the citizen's courses that have not ended: the caseloads the citizen is on.</summary>
    public async Task<IReadOnlyList<string>> CaseloadWorkersOfCitizenAsync(Guid citizenId, CancellationToken ct)
    {
        var id = citizenId.ToString();
        string[] ended = [nameof(CourseStatus.Completed), nameof(CourseStatus.Cancelled)];
        await using var db = contexts.Create();
        return await db.Courses.AsNoTracking().Where(c => c.CitizenId == id && !ended.Contains(c.Status))
            .Select(c => c.ResponsibleWorker).Distinct().ToListAsync(ct);
    }

    /// <summary>
    /// Past and upcoming steps with dates: the method's plan for the course as it stands (actual dates where known,
    /// the shifted plan otherwise; <see cref="CourseTimeline.For"/>) and every task raised for it.
    /// </summary>
    public async Task<CourseTimelineView?> TimelineAsync(Guid courseId, CancellationToken ct)
    {
        var id = courseId.ToString();
        CourseRecord? row;
        await using (var db = contexts.Create())
            row = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null) return null;
        var course = Course.Restore(CourseJson.Deserialize(row.StateJson));
        var now = clock.GetUtcNow();

        var planned = CourseTimeline.For(course)
            .Select(s => new CourseTimelineItem(s.Kind.ToString(), s.Period.ToString(), s.Due, s.Due < now, null, null, null))
            .ToList();

        List<TaskRecord> raised;
        await using (var db = tasks.Create())
            raised = await db.Tasks.AsNoTracking().Where(t => t.CorrelationId == id).OrderBy(t => t.DueOrder).ThenBy(t => t.Id).ToListAsync(ct);
        var taskItems = raised
            .Select(t => new CourseTimelineItem(t.Kind ?? "", PeriodOf(course, t.DueAt), t.DueAt ?? t.CreatedAt, (t.DueAt ?? t.CreatedAt) < now,
                t.Id, t.Status.ToString(), t.Assignee))
            .ToList();

        return new CourseTimelineView(courseId, course.Status.ToString(), course.CurrentPeriod.ToString(), course.ResponsibleWorkerId.Value,
            course.StartDate, course.Schedule.End, course.Schedule.Periods, planned, taskItems,
            course.FocusAreas.ToDictionary(p => p.Key.ToString(), p => (IReadOnlyList<string>)p.Value.Areas.Select(a => a.ToString()).ToList()),
            course.Activities.Select(a => new CoursePlanActivity(a.Id, a.Text, a.FocusArea.ToString(), a.Phase.ToString(), a.Status.ToString())).ToList(),
            course.Network.Select(m => CourseNetworkMember.From(m, course.HandoverRecipientId)).ToList(),
            Enum.GetValues<CoursePeriod>().ToDictionary(p => p.ToString(), p => course.Settings.CadenceFor(p).ToString()),
            course.RhythmChanges,
            course.Ending,
            course.Outcome.ToString(),
            raised.FirstOrDefault(t => t.Kind == Activities.CtiTaskKinds.NextContact && t.Status == HumanTaskStatus.Open)?.DueAt);
    }

    /// <summary>Every revision of every contact logged on the course, newest contact first, revisions in order.</summary>
    public async Task<IReadOnlyList<Contact>> ContactsAsync(Guid courseId, CancellationToken ct)
    {
        var id = courseId.ToString();
        await using var db = contexts.Create();
        var rows = await db.Contacts.AsNoTracking().Where(c => c.CourseId == id).ToListAsync(ct);
        return rows.Select(ContactRows.FromRecord)
            .GroupBy(c => c.ContactId)
            .OrderByDescending(g => g.OrderByDescending(c => c.Revision).First().StartedAt)
            .SelectMany(g => g.OrderBy(c => c.Revision))
            .ToList();
    }

    /// <summary>
    /// How the courses count: completed (phase 3 completed, or ended with the goal reached), dropped out (ended after the
    /// contact period for another reason), ended at the clarification (in the contact period), running.
    /// </summary>
    public async Task<CourseOutcomeCounts> OutcomeCountsAsync(IReadOnlyList<Guid>? courseIds, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var courses = db.Courses.AsNoTracking();
        if (courseIds is { Count: > 0 })
        {
            var keys = courseIds.Select(i => i.ToString()).ToList();
            courses = courses.Where(c => keys.Contains(c.Id));
        }

        var states = await courses.Select(c => c.StateJson).ToListAsync(ct);
        var outcomes = states.Select(j => Course.Restore(CourseJson.Deserialize(j)).Outcome).ToList();
        return new CourseOutcomeCounts(
            outcomes.Count(o => o == CourseOutcome.Completed), outcomes.Count(o => o == CourseOutcome.DroppedOut),
            outcomes.Count(o => o == CourseOutcome.EndedAtClarification), outcomes.Count(o => o == CourseOutcome.Running));
    }

    /// <summary>
    /// The Exit Prostitution evaluation's figures for a set of courses (see <see cref="OutcomeReport"/>): share in
    /// the WHO-5 risk zone and share paid for sex in the last month at start and end, and the share with moderate or
    /// large life-situation progression, each over the courses measured at both baseline and final, with counts.
    /// </summary>
    public async Task<OutcomeReport> OutcomeReportAsync(OutcomeReportFilter filter, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var courses = db.Courses.AsNoTracking();
        if (filter.CourseIds is { Count: > 0 } ids)
        {
            var keys = ids.Select(i => i.ToString()).ToList();
            courses = courses.Where(c => keys.Contains(c.Id));
        }

        if (filter.CompletedOnly) courses = courses.Where(c => c.Status == nameof(CourseStatus.Completed));
        var courseIds = await courses.Select(c => c.Id).ToListAsync(ct);
        var rows = await db.Evaluations.AsNoTracking()
            .Where(e => courseIds.Contains(e.CourseId) && (e.Kind == nameof(EvaluationKind.Baseline) || e.Kind == nameof(EvaluationKind.Final)))
            .ToListAsync(ct);
        var evaluations = rows.Select(ToEvaluation).ToList();
        return OutcomeReport.Compute(courseIds.Select(c => CourseMeasurements.From(new CourseId(Guid.Parse(c)), evaluations)));
    }

    /// <summary>Open supervision tasks due in [from, to), grouped into sessions (see <see cref="SupervisionSession"/>).</summary>
    public async Task<IReadOnlyList<SupervisionSession>> SupervisionSessionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var (lo, hi) = (from.UtcTicks, to.UtcTicks);
        List<TaskRecord> open;
        await using (var db = tasks.Create())
        {
            open = await db.Tasks.AsNoTracking()
                .Where(t => t.Kind == Activities.CtiTaskKinds.Supervision && t.Status == HumanTaskStatus.Open && t.DueOrder >= lo && t.DueOrder < hi)
                .OrderBy(t => t.DueOrder).ThenBy(t => t.Id)
                .ToListAsync(ct);
        }

        return open
            .GroupBy(t => (t.DueAt, t.Assignee, t.Role, GroupKey: GroupKeyOf(t.FormSchemaJson)))
            .Select(g => new SupervisionSession(g.Key.DueAt!.Value, g.Key.Assignee, g.Key.Role, g.Key.GroupKey,
                g.Select(t => t.Id).ToList(), g.Select(t => t.CorrelationId ?? "").ToList()))
            .ToList();
    }

    private static string? GroupKeyOf(string? formSchemaJson) =>
        formSchemaJson is null ? null : JsonNode.Parse(formSchemaJson)?["groupKey"]?.GetValue<string>();

    public static Evaluation ToEvaluation(EvaluationRecord r) => new(
        new CourseId(Guid.Parse(r.CourseId)),
        Enum.Parse<EvaluationKind>(r.Kind),
        r.Date,
        r.Who5ItemsJson is null ? null : Who5.FromItems(JsonSerializer.Deserialize<int[]>(r.Who5ItemsJson)!),
        r.PaidForSexFrequency is null ? null : new PaidForSexLastMonth(Enum.Parse<SexSaleFrequency>(r.PaidForSexFrequency)),
        r.LifeSituationJson is null
            ? null
            : LifeSituationRating.Create(JsonSerializer.Deserialize<Dictionary<string, int>>(r.LifeSituationJson)!
                .ToDictionary(p => Enum.Parse<LifeArea>(p.Key), p => p.Value)));

    private static string PeriodOf(Course course, DateTimeOffset? due) =>
        due is null ? course.CurrentPeriod.ToString()
            : (course.Schedule.Periods.LastOrDefault(p => p.EffectiveStart <= due)?.Period ?? CoursePeriod.ContactPeriod).ToString();
}
