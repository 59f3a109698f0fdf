using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Persistence;

/// <summary>"The course now looks like this": upserted by <see cref="CtiCommitParticipant"/>; the last one of a burst wins.</summary>
public sealed record CourseSaved(CourseState State, string InstanceId, DateTimeOffset At);

/// <summary>An evaluation recorded through its evaluation task.</summary>
public sealed record EvaluationRecorded(string Id, Evaluation Evaluation, string? RecordedBy);

/// <summary>Open tasks whose due dates move by a wall-clock duration (after a pause).</summary>
public sealed record CtiTasksShifted(IReadOnlyList<string> TaskIds, TimeSpan WallClockDelta);

/// <summary>Open tasks handed to another worker (course reassignment); the assignment history is kept.</summary>
public sealed record CtiTasksReassigned(IReadOnlyList<string> TaskIds, string From, string To, DateTimeOffset At, string? By);

/// <summary>
/// Open tasks of an instance cancelled with the CTI step that raised them (a phase that ended, the course's end);
/// null ids means every open task of the instance. The task participant also cancels tasks whose bookmarks the
/// runtime discards (by key, since main e0ccb91); this effect makes the CTI steps say so explicitly and covers tasks
/// a step decides to close while its activity keeps running.
/// </summary>
public sealed record CtiTasksCancelled(string InstanceId, IReadOnlyList<string>? TaskIds, DateTimeOffset At, string? Reason = null);

/// <summary>A new revision of a logged contact (a new contact is revision 1).</summary>
public sealed record ContactRecorded(Contact Contact);

/// <summary>
/// A task the system completes on the worker's behalf: the open next-contact task is satisfied by a logged contact
/// (outcome, who logged it, and the contact's id in its data).
/// </summary>
public sealed record CtiTaskSatisfied(string TaskId, string Outcome, string? By, DateTimeOffset At, string DataJson);
