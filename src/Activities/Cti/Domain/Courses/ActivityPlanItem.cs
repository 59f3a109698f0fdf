namespace Exit.Activities.Cti.Domain;

public enum ActivityStatus
{
    Planned,
    InProgress,
    Done,

    /// <summary>Given up or replaced when the plan was adjusted (phase 2 evaluates and adjusts the plan).</summary>
    Dropped,
}

/// <summary>One line of the activity plan (aktivitetsplan), made with the citizen.</summary>
public sealed record ActivityPlanItem(Guid Id, string Text, FocusArea FocusArea, CoursePeriod Phase, ActivityStatus Status);
