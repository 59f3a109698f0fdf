using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Persistence;

/// <summary>
/// A workflow instance tried to write a course that another instance runs. The course row remembers the instance
/// that created it, and only that instance may change it; the whole commit fails, so nothing of the intruding burst
/// is stored.
/// </summary>
public sealed class CourseOwnedByAnotherInstanceException(string courseId, string instanceId)
    : InvalidOperationException($"Course {courseId} belongs to another workflow instance; instance {instanceId} may not change it.");

/// <summary>
/// Writes CTI effects in the runtime's commit transaction: the course projection, recorded evaluations, and
/// the task changes a course change implies (due dates shifted after a pause, open tasks handed to a new worker).
/// Registered after the task participant, so tasks created in the same burst already exist.
/// </summary>
public sealed class CtiCommitParticipant(CtiDbContextFactory contexts, TaskDbContextFactory tasks, DanishWorkingDays workingDays) : IBatchedCommitParticipant
{
    /// <summary>
    /// The CTI writes go through EF contexts, which cannot join the writer's batch: a commit with CTI effects keeps the
    /// per-commit path; one without (a task completion, a timer) lets the others batch.
    /// </summary>
    public bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects) => !HasWork(effects);

    /// <summary>Nothing to add: <see cref="CanBatch"/> is true only when this participant has nothing to write.</summary>
    public void AddTo(CommitBatch batch, IReadOnlyList<object> effects)
    {
    }

    private static bool HasWork(IReadOnlyList<object> effects) =>
        effects.Any(e => e is CourseSaved or EvaluationRecorded or ContactRecorded or CtiTasksShifted or CtiTasksReassigned or CtiTasksCancelled or CtiTaskSatisfied);

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        if (!HasWork(effects))
            return;

        await using (var db = await contexts.CreateEnlistedAsync(context, cancellationToken))
        {
            foreach (var saved in effects.OfType<CourseSaved>().GroupBy(s => s.State.Id).Select(g => g.Last()))
                await UpsertAsync(db, saved, cancellationToken);
            foreach (var e in effects.OfType<EvaluationRecorded>())
                db.Evaluations.Add(ToRecord(e));
            foreach (var e in effects.OfType<ContactRecorded>())
                db.Contacts.Add(ContactRows.ToRecord(e.Contact));
            await db.SaveChangesAsync(cancellationToken);

            // A contact or evaluation changes what the reports read for its course: the course row's version goes up in
            // the same transaction (the reports keep a course with its contacts and evaluations per row version).
            var savedIds = effects.OfType<CourseSaved>().Select(s => s.State.Id.ToString()).ToHashSet(StringComparer.Ordinal);
            var touched = effects.OfType<ContactRecorded>().Select(e => e.Contact.CourseId.ToString())
                .Concat(effects.OfType<EvaluationRecorded>().Select(e => e.Evaluation.CourseId.ToString()))
                .Where(id => !savedIds.Contains(id))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            foreach (var id in touched)
                await db.Courses.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        }

        if (!effects.Any(e => e is CtiTasksShifted or CtiTasksReassigned or CtiTasksCancelled or CtiTaskSatisfied)) return;
        await using var taskDb = await tasks.CreateEnlistedAsync(context, cancellationToken);
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case CtiTasksShifted s:
                    await ShiftAsync(taskDb, s, cancellationToken);
                    break;
                case CtiTasksReassigned r:
                    await ReassignAsync(taskDb, r, cancellationToken);
                    break;
                case CtiTasksCancelled c:
                    await CancelAsync(taskDb, c, cancellationToken);
                    break;
                case CtiTaskSatisfied t:
                    await SatisfyAsync(taskDb, t, cancellationToken);
                    break;
            }
        }
    }

    private static async Task UpsertAsync(CtiDbContext db, CourseSaved saved, CancellationToken ct)
    {
        var id = saved.State.Id.ToString();
        var row = await db.Courses.AsTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        var course = Course.Restore(saved.State);
        if (row is not null && !string.Equals(row.InstanceId, saved.InstanceId, StringComparison.Ordinal))
            throw new CourseOwnedByAnotherInstanceException(id, saved.InstanceId);
        if (row is null)
        {
            // Not found in this municipality: say so plainly if the id is another municipality's course (an existence
            // check across municipalities, nothing read) instead of failing later on the primary key.
            if (await db.Courses.IgnoreQueryFilters().AnyAsync(c => c.Id == id, ct))
                throw new CrossTenantWriteException(nameof(CourseRecord));
            row = new CourseRecord
            {
                Id = id, CitizenId = saved.State.CitizenId.ToString(), InstanceId = saved.InstanceId,
                ResponsibleWorker = "", Status = "", CurrentPeriod = "", StateJson = "",
            };
            db.Courses.Add(row);
        }

        row.ResponsibleWorker = course.ResponsibleWorkerId.Value;
        row.Status = course.Status.ToString();
        row.CurrentPeriod = course.CurrentPeriod.ToString();
        row.StartDate = course.StartDate;
        row.PlannedEnd = course.Schedule.End;
        row.StateJson = CourseJson.Serialize(saved.State);
        row.Version++;
        row.UpdatedAt = saved.At;
    }

    internal static EvaluationRecord ToRecord(EvaluationRecorded e) => new()
    {
        Id = e.Id,
        CourseId = e.Evaluation.CourseId.ToString(),
        Kind = e.Evaluation.Kind.ToString(),
        Date = e.Evaluation.Date,
        Who5ItemsJson = e.Evaluation.Who5 is { } w ? JsonSerializer.Serialize(w.Items) : null,
        Who5Score = e.Evaluation.Who5?.Score,
        PaidForSexFrequency = e.Evaluation.PaidForSex?.Frequency.ToString(),
        LifeSituationJson = e.Evaluation.LifeSituation is { } l
            ? JsonSerializer.Serialize(l.Ratings.ToDictionary(p => p.Key.ToString(), p => p.Value))
            : null,
        LifeSituationTotal = e.Evaluation.LifeSituation?.Total,
        RecordedBy = e.RecordedBy,
    };

    private async Task ShiftAsync(TaskDbContext db, CtiTasksShifted s, CancellationToken ct)
    {
        if (s.TaskIds.Count == 0 || s.WallClockDelta == TimeSpan.Zero) return;
        var ids = s.TaskIds.ToList();
        var open = await db.Tasks.AsTracking()
            .Where(t => ids.Contains(t.Id) && t.Status == HumanTaskStatus.Open && t.DueAt != null)
            .ToListAsync(ct);
        foreach (var task in open)
        {
            task.DueAt = workingDays.OnOrAfter(CopenhagenCalendar.Shift(task.DueAt!.Value, s.WallClockDelta));
            task.DueOrder = TaskRecord.DueOrderOf(task.DueAt);
            task.Version++;
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static async Task CancelAsync(TaskDbContext db, CtiTasksCancelled c, CancellationToken ct)
    {
        if (c.TaskIds is { Count: 0 }) return;
        var query = db.Tasks.Where(t => t.InstanceId == c.InstanceId && t.Status == HumanTaskStatus.Open);
        if (c.TaskIds is { } ids)
        {
            var list = ids.ToList();
            query = query.Where(t => list.Contains(t.Id));
        }

        DateTimeOffset? at = c.At;
        if (c.Reason is { } reason)
        {
            // The reason goes into the task's data, which a cancelled task otherwise leaves empty.
            var data = new System.Text.Json.Nodes.JsonObject { ["cancellationReason"] = reason }.ToJsonString();
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, HumanTaskStatus.Cancelled)
                .SetProperty(t => t.CancelledAt, at)
                .SetProperty(t => t.DataJson, data)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
            return;
        }

        await query.ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, HumanTaskStatus.Cancelled)
            .SetProperty(t => t.CancelledAt, at)
            .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }

    private static async Task SatisfyAsync(TaskDbContext db, CtiTaskSatisfied s, CancellationToken ct)
    {
        DateTimeOffset? at = s.At;
        await db.Tasks.Where(t => t.Id == s.TaskId && t.Status == HumanTaskStatus.Open).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.Status, HumanTaskStatus.Completed)
            .SetProperty(t => t.Outcome, s.Outcome)
            .SetProperty(t => t.CompletedAt, at)
            .SetProperty(t => t.CompletedBy, s.By)
            .SetProperty(t => t.DataJson, s.DataJson)
            .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }

    private static async Task ReassignAsync(TaskDbContext db, CtiTasksReassigned r, CancellationToken ct)
    {
        if (r.TaskIds.Count == 0) return;
        var ids = r.TaskIds.ToList();
        var open = await db.Tasks.AsTracking()
            .Where(t => ids.Contains(t.Id) && t.Status == HumanTaskStatus.Open && t.Assignee == r.From)
            .ToListAsync(ct);
        foreach (var task in open)
        {
            db.Assignments.Add(new TaskAssignment { TaskId = task.Id, FromAssignee = task.Assignee, ToAssignee = r.To, At = r.At, By = r.By });
            task.Assignee = r.To;
            task.Version++;
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
