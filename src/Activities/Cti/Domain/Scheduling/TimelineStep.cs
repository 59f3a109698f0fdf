namespace Exit.Activities.Cti.Domain;

/// <summary>
/// What the method expects to happen. The order of the values is the tie-break order for steps due at
/// the same moment (a phase starts, then it is evaluated, then the citizen is met).
/// </summary>
public enum TimelineStepKind
{
    PhaseStart,
    BaselineEvaluation,
    PhaseChangeEvaluation,

    /// <summary>Phase 2: evaluate and adjust the activity plan.</summary>
    ActivityPlanReview,
    CitizenMeeting,
    Supervision,

    /// <summary>Agreement with the network on who takes over; due no later than this date.</summary>
    HandoverAgreement,
    FinalEvaluation,
    ClosingMeeting,
}

/// <summary>One expected step, due at <see cref="Due"/>, belonging to <see cref="Period"/>.</summary>
public sealed record TimelineStep(TimelineStepKind Kind, DateTimeOffset Due, CoursePeriod Period);
