namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Everything a <see cref="Course"/> holds, as plain data, so storage (EF, JSON) can persist a course
/// without the domain knowing about it. Round-trip with <see cref="Course.ToState"/> and
/// <see cref="Course.Restore"/>.
/// </summary>
public sealed record CourseState(
    CourseId Id,
    CitizenId CitizenId,
    CourseGoal Goal,
    CoursePlanSettings Settings,
    IReadOnlyList<PeriodSchedule> Periods,
    CourseStatus Status,
    CoursePeriod CurrentPeriod,
    CancellationReason? CancellationReason,
    IReadOnlyList<WorkerAssignment> Assignments,
    IReadOnlyList<CoursePause> Pauses,
    IReadOnlyDictionary<CoursePeriod, IReadOnlyList<FocusArea>> FocusAreas,
    IReadOnlyList<ActivityPlanItem> Activities,
    IReadOnlyList<SupportNetworkMember> Network,
    Guid? HandoverRecipientId,
    CourseEnding? Ending = null,
    IReadOnlyList<RhythmChange>? RhythmChanges = null);
