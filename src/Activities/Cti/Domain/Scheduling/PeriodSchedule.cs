namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Planned and actual dates of one period. Periods are half-open: [start, end). Planned dates move when
/// an earlier period ends early or late or the course is paused; actual dates never move once recorded.
/// </summary>
public sealed record PeriodSchedule(
    CoursePeriod Period,
    DateTimeOffset PlannedStart,
    DateTimeOffset PlannedEnd,
    DateTimeOffset? ActualStart = null,
    DateTimeOffset? ActualEnd = null)
{
    /// <summary>What actually happened where known, otherwise the plan.</summary>
    public DateTimeOffset EffectiveStart => ActualStart ?? PlannedStart;

    /// <inheritdoc cref="EffectiveStart"/>
    public DateTimeOffset EffectiveEnd => ActualEnd ?? PlannedEnd;

    public bool HasStarted => ActualStart is not null;

    public bool HasEnded => ActualEnd is not null;
}
