namespace Exit.Workflows.Timers;

/// <summary>
/// The one durable wake-up of the timers: it fires at the earliest due time anyone asked for, and its firing makes the
/// engine resume everything that is due (<see cref="ITimerWakeUpHandler"/>). The due times themselves live in the instance
/// store's bookmark rows, written in the instance's commit; this only makes sure somebody looks at them in time.
/// </summary>
public interface ITimerWakeUp
{
    /// <summary>
    /// Makes sure a wake-up fires at or before <paramref name="dueAt"/>: a pending one that fires earlier is kept, a later
    /// one is moved forward. Returns when that is durable. Cheap when an earlier wake-up is already known to be pending.
    /// </summary>
    Task ArmAsync(DateTimeOffset dueAt, CancellationToken ct);
}

/// <summary>What a wake-up does: resume every timer bookmark that is due, then arm the wake-up for the next one.</summary>
public interface ITimerWakeUpHandler
{
    Task OnWakeUpAsync(CancellationToken ct);
}
