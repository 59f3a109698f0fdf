namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Why a course ended before (or instead of) running to the end of phase 3. The first four are the answers of the
/// contact period's decision (Afklaring) other than "continue"; the rest can end a course at any time.
/// </summary>
public enum EndingReason
{
    NotInTargetGroup,
    NotMotivatedNow,
    ReferredElsewhere,
    GoalReached,
    CitizenDeclined,
    LostContact,
    MovedAway,
    Died,
    Other,
}

/// <summary>How a course counts in the outcome report.</summary>
public enum CourseOutcome
{
    /// <summary>Still running.</summary>
    Running,

    /// <summary>Phase 3 completed, or the course ended because the citizen reached the goal.</summary>
    Completed,

    /// <summary>Ended after the contact period for any other reason.</summary>
    DroppedOut,

    /// <summary>Ended in the contact period (the decision or an early ending): the course proper never began.</summary>
    EndedAtClarification,
}

/// <summary>A course's ending: reason, the date it ended, when it was recorded and by whom.</summary>
public sealed record CourseEnding(EndingReason Reason, DateTimeOffset EndedOn, DateTimeOffset RecordedAt, string? RecordedBy, CoursePeriod InPeriod);

/// <summary>A change of a period's contact rhythm for this citizen (audited; shown on the timeline).</summary>
public sealed record RhythmChange(CoursePeriod Period, ContactCadence From, ContactCadence To, DateTimeOffset At, string? By);

/// <summary>The answers to the contact period's decision (Afklaring).</summary>
public enum ClarificationAnswer
{
    /// <summary>In the target group and motivated: phase 1 starts.</summary>
    Continue,
    NotInTargetGroup,
    NotMotivatedNow,
    ReferredElsewhere,
}
