using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Application;

/// <summary>A course or citizen that does not exist.</summary>
public sealed class CtiNotFoundException(string what, string id) : Exception($"{what} {id} was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

/// <summary>A feature the host has not configured (e.g. CPR registration without a CPR protector key).</summary>
public sealed class CtiNotConfiguredException(string message) : Exception(message);

/// <summary>The course's workflow is not in a state to take the command (finished, faulted, not waiting).</summary>
public sealed class CtiWorkflowStateException(string message) : Exception(message);

/// <summary>Input that breaks a rule of its field (400): every problem, keyed by the API field name. Nothing was stored.</summary>
public sealed class CtiValidationException(IReadOnlyList<ContactProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public IReadOnlyList<ContactProblem> Problems { get; } = problems;
}

public sealed record StartedCourse(Guid CourseId, string InstanceId, WorkflowStatus Status);

/// <summary>
/// Commands on citizens and courses, without HTTP. Course changes go through the course's workflow: the rules are
/// checked here first on a copy of the course (so a breach is a clear <see cref="CtiRuleViolation"/> and nothing is
/// touched), then the running <c>Exit.CtiPhase</c> is resumed with the command and applies it in its burst, so the
/// course, its tasks and the instance state commit together. Evaluations are recorded by completing their task.
/// Logs carry course, instance and task ids only.
/// </summary>
public sealed class CtiCourseService(
    CtiDbContextFactory contexts,
    IWorkflowRuntime runtime,
    IWorkflowInstanceStore instances,
    HumanTaskService tasks,
    TaskDbContextFactory taskContexts,
    TimeProvider clock,
    ILogger<CtiCourseService> logger,
    CtiStartTickets tickets,
    ICprProtector? cprProtector = null)
{
    public const string DefaultDefinitionId = "cti-course";

    public async Task<Guid> CreateCitizenAsync(string alias, string? cpr, CancellationToken ct)
    {
        var id = NewId();
        CprNumber? number = null;
        if (!string.IsNullOrWhiteSpace(cpr))
        {
            if (!CprNumber.TryParse(cpr, out number))
                throw new CtiRuleViolation(CtiRules.CprFormat, "A CPR number is ten digits (DDMMYY-SSSS).");
            if (cprProtector is null)
                throw new CtiNotConfiguredException("No CPR protector is configured; citizens can only be registered anonymously.");
        }

        var citizen = number is null
            ? Citizen.Restore(new CitizenId(id), alias, null)
            : Citizen.Create(new CitizenId(id), alias, number, cprProtector!);
        await using var db = contexts.Create();
        db.Citizens.Add(new CitizenRecord { Id = id.ToString(), Alias = citizen.Alias, ProtectedCpr = citizen.ProtectedCpr, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Citizen {CitizenId} registered ({Anonymous})", id, citizen.IsAnonymous ? "anonymous" : "with CPR");
        return id;
    }

    /// <summary>Starts a course for the citizen: a workflow instance whose correlation id is the new course id.</summary>
    public async Task<StartedCourse> StartCourseAsync(
        Guid citizenId, string worker, CourseGoal goal, string? definitionId, decimal workerFullTimeEquivalent, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(worker)) throw new ArgumentException("A worker is required.", nameof(worker));
        worker = worker.Trim();
        await using (var db = contexts.Create())
        {
            var id = citizenId.ToString();
            if (!await db.Citizens.AnyAsync(c => c.Id == id, ct)) throw new CtiNotFoundException("Citizen", id);
        }

        await EnsureCaseloadRoomAsync(worker, workerFullTimeEquivalent, ct);

        var courseId = NewId();
        var input = new JsonObject { ["citizenId"] = citizenId.ToString(), ["worker"] = worker, ["goal"] = goal.ToString() };
        WorkflowRunResult result;
        using (tickets.Issue(courseId, citizenId, worker))
        {
            result = await runtime.StartAsync(
                new StartWorkflowRequest(definitionId ?? DefaultDefinitionId, CorrelationId: courseId.ToString(), Input: input), ct);
        }
        if (result.SubStatus == WorkflowSubStatus.Faulted)
            throw new CtiWorkflowStateException($"The course workflow faulted on start: {result.Incidents.FirstOrDefault()?.Message}");
        logger.LogInformation("Course {CourseId} started as instance {InstanceId}", courseId, result.InstanceId);
        return new StartedCourse(courseId, result.InstanceId, result.Status);
    }

    public async Task<Course> GetCourseAsync(Guid courseId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var id = courseId.ToString();
        var row = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new CtiNotFoundException("Course", id);
        return Course.Restore(CourseJson.Deserialize(row.StateJson));
    }

    public async Task PauseAsync(Guid courseId, PauseReason reason, CancellationToken ct)
    {
        var course = await GetCourseAsync(courseId, ct);
        course.Pause(reason, clock.GetUtcNow()); // rule check on a copy
        await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Pause, ["reason"] = reason.ToString() }, ct);
    }

    public async Task ResumeAsync(Guid courseId, CancellationToken ct)
    {
        var course = await GetCourseAsync(courseId, ct);
        course.Resume(clock.GetUtcNow());
        await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Resume }, ct);
    }

    /// <summary>Hands the course and all its open tasks for the current worker to <paramref name="worker"/>; history is kept.</summary>
    public async Task ReassignAsync(Guid courseId, string worker, string? reason, string? by, CancellationToken ct, decimal newWorkerFullTimeEquivalent = 1m)
    {
        if (string.IsNullOrWhiteSpace(worker)) throw new ArgumentException("A worker is required.", nameof(worker));
        var course = await GetCourseAsync(courseId, ct);
        course.ReassignWorker(new WorkerId(worker.Trim()), clock.GetUtcNow(), reason);
        await EnsureCaseloadRoomAsync(worker.Trim(), newWorkerFullTimeEquivalent, ct);
        await SendAsync(courseId, new JsonObject
        {
            ["command"] = CtiPhase.Commands.Reassign, ["worker"] = worker.Trim(), ["reason"] = reason, ["by"] = by,
        }, ct);
    }

    /// <summary>Replaces the course's support network (checked on a copy first; nothing changes when a rule is broken).</summary>
    public async Task ReplaceNetworkAsync(Guid courseId, IReadOnlyList<SupportNetworkMember> members, CancellationToken ct)
    {
        var course = await GetCourseAsync(courseId, ct);
        course.ReplaceNetwork(members);
        await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Network, ["members"] = CourseJson.NetworkToNode(members) }, ct);
    }

    /// <summary>
    /// Closes the running period early (the next one starts now and keeps its full length). Only the running
    /// period can be closed: phases run in order and none is skipped.
    /// </summary>
    public async Task ClosePhaseAsync(Guid courseId, CoursePeriod period, CancellationToken ct)
    {
        var course = await GetCourseAsync(courseId, ct);
        if (course.IsEnded) throw new CtiRuleViolation(CtiRules.CourseNotActive, $"The course is {course.Status} and can no longer change.");
        if (course.Status == CourseStatus.Paused) throw new CtiRuleViolation(CtiRules.CoursePaused, "The course is paused; resume it first.");
        if (period != course.CurrentPeriod)
        {
            throw new CtiRuleViolation(CtiRules.PhasesInOrder,
                $"Cannot close {period}: the course is in {course.CurrentPeriod}. CTI phases run in order and none may be skipped; close {course.CurrentPeriod} first.");
        }

        if (period == CoursePeriod.ContactPeriod)
            throw new CtiRuleViolation(CtiRules.DecisionRequired, "The contact period ends with the decision (Afklaring): POST /api/courses/{id}/decision.");
        if (period == CoursePeriod.Phase3 && !await HasCompletedTaskAsync(courseId, CtiTaskKinds.NetworkAgreement, ct))
        {
            throw new CtiRuleViolation(CtiRules.HandoverAgreementRequired,
                "Phase 3 closes early only once the handover agreement with the network is made; otherwise end the course with a reason.");
        }

        await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Close, ["period"] = period.ToString() }, ct);
    }

    /// <summary>
    /// Records an evaluation by completing its evaluation task with the answers. The answers are checked here
    /// (a bad WHO-5 item is a <see cref="CtiRuleViolation"/> before anything changes); scores are computed.
    /// </summary>
    public async Task<Evaluation> RecordEvaluationAsync(Guid courseId, string taskId, JsonNode? answers, string? by, CancellationToken ct)
    {
        TaskRecord? task;
        await using (var db = taskContexts.Create())
            task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null || task.CorrelationId != courseId.ToString() || task.Kind is null || !task.Kind.StartsWith("cti.evaluation.", StringComparison.Ordinal))
            throw new CtiNotFoundException("Evaluation task", taskId);
        var kind = task.Kind switch
        {
            CtiTaskKinds.BaselineEvaluation => EvaluationKind.Baseline,
            CtiTaskKinds.PhaseChangeEvaluation => EvaluationKind.PhaseChange,
            _ => EvaluationKind.Final,
        };
        var evaluation = EvaluationData.Parse(answers, new CourseId(courseId), kind, clock.GetUtcNow());
        await tasks.CompleteAsync(taskId, ScheduleEvaluation.Recorded, EvaluationData.ToData(evaluation), by, ct);
        logger.LogInformation("Course {CourseId}: {Kind} evaluation recorded through task {TaskId}", courseId, kind, taskId);
        return evaluation;
    }

    /// <summary>
    /// Records a (group) supervision session as held: completes each of its supervision tasks through the task
    /// service. Returns how many were completed; tasks already completed or cancelled are skipped.
    /// </summary>
    public async Task<int> HoldSupervisionSessionAsync(IReadOnlyList<string> taskIds, string? by, CancellationToken ct)
    {
        var done = 0;
        foreach (var taskId in taskIds.Distinct())
        {
            TaskRecord? task;
            await using (var db = taskContexts.Create())
                task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null || task.Kind != CtiTaskKinds.Supervision) throw new CtiNotFoundException("Supervision task", taskId);
            if (task.Status != HumanTaskStatus.Open) continue;
            await tasks.CompleteAsync(taskId, "Held", new JsonObject { ["groupSize"] = taskIds.Count }, by, ct);
            done++;
        }

        logger.LogInformation("Supervision session held: {Count} tasks completed", done);
        return done;
    }

    /// <summary>
    /// Logs a contact (or, with <paramref name="correctsContactId"/>, a corrected revision of one: the earlier revisions
    /// stay). Every field is checked first (400 naming each field, nothing stored); the course's workflow then stores the
    /// revision and re-plans the next-contact task in one commit.
    /// </summary>
    public async Task<Contact> LogContactAsync(Guid courseId, ContactInput input, string by, CancellationToken ct, Guid? correctsContactId = null)
    {
        var course = await GetCourseAsync(courseId, ct);
        var now = clock.GetUtcNow();
        var problems = ContactValidation.Validate(course, input, now, out var draft);
        if (problems.Count > 0) throw new CtiValidationException(problems);
        if (course.IsEnded) throw new CtiRuleViolation(CtiRules.CourseNotActive, $"The course is {course.Status}; no contact can be logged.");
        var contactId = correctsContactId ?? Guid.CreateVersion7(now);
        var revision = 1;
        if (correctsContactId is { } existing)
        {
            await using var db = contexts.Create();
            var id = existing.ToString();
            var course2 = courseId.ToString();
            var revisions = await db.Contacts.AsNoTracking().Where(c => c.ContactId == id && c.CourseId == course2).Select(c => c.Revision).ToListAsync(ct);
            if (revisions.Count == 0) throw new CtiNotFoundException("Contact", id);
            revision = revisions.Max() + 1;
        }

        var contact = draft!.ToRevision(contactId, revision, new CourseId(courseId), by, now);
        await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Contact, ["contact"] = CtiPhase.ContactNode(contact) }, ct);
        logger.LogInformation("Course {CourseId}: contact {ContactId} revision {Revision} logged", courseId, contactId, revision);
        return contact;
    }

    /// <summary>Changes a period's contact rhythm for this citizen; the running period's next-contact task is re-planned.</summary>
    public async Task<RhythmChange> ChangeRhythmAsync(Guid courseId, string? period, string? rhythm, string? by, CancellationToken ct)
    {
        var course = await GetCourseAsync(courseId, ct);
        var problems = new List<ContactProblem>();
        var p = course.CurrentPeriod;
        if (!string.IsNullOrWhiteSpace(period) && !TryParse(period, out p))
            problems.Add(new("period", $"One of {string.Join(", ", Enum.GetNames<CoursePeriod>())}."));
        if (!TryParse<ContactCadence>(rhythm, out var cadence))
            problems.Add(new("rhythm", $"One of {string.Join(", ", Enum.GetNames<ContactCadence>())}."));
        if (problems.Count > 0) throw new CtiValidationException(problems);
        var change = course.ChangeRhythm(p, cadence, clock.GetUtcNow(), by); // rule check on a copy
        await SendAsync(courseId, new JsonObject
        {
            ["command"] = CtiPhase.Commands.Rhythm, ["period"] = p.ToString(), ["rhythm"] = cadence.ToString(), ["by"] = by,
        }, ct);
        return change;
    }

    /// <summary>
    /// The contact period's decision: completes the Afklaring task with the answer. "Continue" starts phase 1; any
    /// other answer ends the course with that reason. 409 when the course is not in its contact period.
    /// </summary>
    public async Task DecideAsync(Guid courseId, string? answer, string? by, CancellationToken ct)
    {
        if (!TryParse<ClarificationAnswer>(answer, out var a))
            throw new CtiValidationException([new("answer", $"One of {string.Join(", ", Enum.GetNames<ClarificationAnswer>())}.")]);
        var course = await GetCourseAsync(courseId, ct);
        if (course.IsEnded) throw new CtiRuleViolation(CtiRules.CourseNotActive, $"The course is {course.Status} and can no longer change.");
        if (course.CurrentPeriod != CoursePeriod.ContactPeriod)
            throw new CtiRuleViolation(CtiRules.NotInContactPeriod, $"The decision belongs to the contact period; the course is in {course.CurrentPeriod}.");
        if (course.Status == CourseStatus.Paused) throw new CtiRuleViolation(CtiRules.CoursePaused, "The course is paused; resume it first.");
        TaskRecord? task;
        var id = courseId.ToString();
        await using (var db = taskContexts.Create())
            task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.CorrelationId == id && t.Kind == CtiTaskKinds.Clarification && t.Status == HumanTaskStatus.Open, ct);
        if (task is null) throw new CtiWorkflowStateException($"Course {id} has no open decision task.");
        var result = await tasks.CompleteAsync(task.Id, a.ToString(), new JsonObject { ["decidedBy"] = by }, by, ct);
        if (result.SubStatus == WorkflowSubStatus.Faulted)
            throw new CtiWorkflowStateException($"The course workflow faulted: {result.Incidents.LastOrDefault()?.Message}");
        logger.LogInformation("Course {CourseId}: decision {Answer} recorded", courseId, a);
    }

    /// <summary>Ends the course with a reason and a date (today or earlier); its open tasks are cancelled.</summary>
    public async Task<CourseEnding> EndAsync(Guid courseId, string? reason, DateTimeOffset? endedOn, string? by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problems = new List<ContactProblem>();
        if (!TryParse<EndingReason>(reason, out var r))
            problems.Add(new("reason", $"One of {string.Join(", ", Enum.GetNames<EndingReason>())}."));
        var date = endedOn ?? now;
        if (date > now + ContactValidation.Skew) problems.Add(new("endedOn", "A course cannot be ended on a date that has not come yet."));
        if (problems.Count > 0) throw new CtiValidationException(problems);
        if (date > now) date = now;
        var course = await GetCourseAsync(courseId, ct);
        var ending = course.End(r, date, now, by); // rule check on a copy
        await SendAsync(courseId, new JsonObject
        {
            ["command"] = CtiPhase.Commands.End, ["reason"] = r.ToString(), ["endedOn"] = CtiWorkflow.Iso(date), ["by"] = by,
        }, ct);
        return ending;
    }

    /// <summary>
    /// Upgrades the running courses started before the contact rhythm (those with pre-generated meeting tasks still
    /// open): each one's workflow cancels those tasks with a reason and raises the one next-contact task (and, in the
    /// contact period, the decision). Idempotent; run at start-up. Returns how many courses were upgraded.
    /// </summary>
    public async Task<int> UpgradeLegacyCoursesAsync(CancellationToken ct)
    {
        List<(string TenantId, string CourseId)> courseIds;
        await using (var db = taskContexts.Create())
        {
            // A start-up step with no municipality of its own: it reads across municipalities on purpose and sends each
            // course's upgrade inside that course's municipality (below).
            courseIds = (await db.Tasks.AsNoTracking().IgnoreQueryFilters()
                .Where(t => t.Status == HumanTaskStatus.Open && (t.Kind == CtiTaskKinds.ContactMeeting || t.Kind == CtiTaskKinds.FirstContactMeeting) && t.CorrelationId != null)
                .Select(t => new { t.TenantId, CourseId = t.CorrelationId! }).Distinct().ToListAsync(ct))
                .Select(t => (t.TenantId, t.CourseId)).ToList();
        }

        var upgraded = 0;
        foreach (var (tenantId, id) in courseIds)
        {
            if (!Guid.TryParse(id, out var courseId)) continue;
            using var tenant = TenantScope.Enter(tenantId);
            try
            {
                await SendAsync(courseId, new JsonObject { ["command"] = CtiPhase.Commands.Upgrade }, ct);
                upgraded++;
            }
            catch (CtiWorkflowStateException e)
            {
                logger.LogWarning("Course {CourseId} could not be upgraded to the contact rhythm: {Reason}", id, e.Message);
            }
        }

        if (upgraded > 0) logger.LogInformation("{Count} courses upgraded to the contact rhythm", upgraded);
        return upgraded;
    }

    private async Task<bool> HasCompletedTaskAsync(Guid courseId, string kind, CancellationToken ct)
    {
        var id = courseId.ToString();
        await using var db = taskContexts.Create();
        return await db.Tasks.AsNoTracking().AnyAsync(t => t.CorrelationId == id && t.Kind == kind && t.Status == HumanTaskStatus.Completed, ct);
    }

    private static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>At most 20 active courses per full-time worker (checked on start and reassignment; not race-free).</summary>
    private async Task EnsureCaseloadRoomAsync(string worker, decimal fullTimeEquivalent, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var active = await db.Courses.CountAsync(c => c.ResponsibleWorker == worker
            && c.Status != nameof(CourseStatus.Completed) && c.Status != nameof(CourseStatus.Cancelled), ct);
        Caseload.EnsureRoomForOneMore(new WorkerId(worker), active, fullTimeEquivalent);
    }

    private async Task SendAsync(Guid courseId, JsonObject command, CancellationToken ct)
    {
        var id = courseId.ToString();
        var key = CtiWorkflow.ControlKey(new CourseId(courseId));
        var bookmark = (await instances.FindBookmarksAsync(new BookmarkFilter(Key: key, CorrelationId: id), ct)).FirstOrDefault()
                       ?? throw new CtiWorkflowStateException($"Course {id} has no running phase to take the command (finished, faulted or not started).");
        var result = await runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id, command), ct)
                     ?? throw new CtiWorkflowStateException($"Course {id} changed meanwhile; reload and try again.");
        if (result.SubStatus == WorkflowSubStatus.Faulted)
            throw new CtiWorkflowStateException($"The course workflow faulted: {result.Incidents.LastOrDefault()?.Message}");
        logger.LogInformation("Course {CourseId}: command {Command} applied by instance {InstanceId}", id, command["command"]?.GetValue<string>(), result.InstanceId);
    }

    private Guid NewId() => Guid.CreateVersion7(clock.GetUtcNow());
}
