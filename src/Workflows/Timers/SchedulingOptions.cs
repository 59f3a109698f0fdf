namespace Exit.Workflows.Timers;

/// <summary>Settings for due-time calculation and the durable timer scheduler.</summary>
public sealed class SchedulingOptions
{
    /// <summary>
    /// IANA (or Windows) id of the zone calendar durations and cron expressions are evaluated in. Empty or
    /// "UTC" means UTC. A zone the host cannot resolve falls back to UTC (see <see cref="ResolveTimeZone"/>).
    /// </summary>
    public string TimeZone { get; set; } = "Europe/Copenhagen";

    /// <summary>
    /// Quartz cluster mode (<c>Exit:Scheduling:Clustered</c>): several hosts on one PostgreSQL database. PostgreSQL only;
    /// Quartz refuses clustering on SQLite.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>
    /// Clustered only: how often a host checks in with the cluster. A host that misses its check-in by this much again
    /// is taken for dead and its Quartz work (the wake-up it was running) is recovered by another host, so a dead
    /// host's wake-up moves on after about twice this.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>
    /// PostgreSQL: how long a host's claim on a page of due timers holds. A host that dies mid-sweep leaves its claimed
    /// timers to the others this much later (a stopping host releases them at once).
    /// </summary>
    public TimeSpan TimerClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many timer jobs run at once (Quartz's task-based pool, not threads). Each one only wakes the
    /// engine. 32 drained a burst fastest of 4/8/16/32/64 on SQLite (docs/performance.md, "Quartz on its own").
    /// </summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>
    /// Triggers acquired per scheduler round; at most <see cref="MaxConcurrency"/>. A round is a
    /// transaction, so a larger batch fires a backlog faster.
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long the Quartz loop sleeps when nothing is due. It is woken earlier by a new trigger and by the
    /// injected clock's timers, so this only bounds how late a trigger inserted by another process is seen.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How late a trigger may be before Quartz treats it as misfired (then our misfire instruction, "fire
    /// now", applies). Either way the timer fires; this only decides which path.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Quartz scheduler instance name; several apps sharing one database need different names.</summary>
    public string SchedulerName { get; set; } = "exit-timers";

    /// <summary>Resolves <see cref="TimeZone"/>.</summary>
    /// <param name="warning">Set when the configured id could not be resolved and UTC is used instead.</param>
    public TimeZoneInfo ResolveTimeZone(out string? warning)
    {
        warning = null;
        if (string.IsNullOrWhiteSpace(TimeZone) || string.Equals(TimeZone, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out var zone))
        {
            return zone;
        }

        warning = $"Time zone '{TimeZone}' is not known on this host (is tzdata installed?); " +
                  "timers and cron expressions are evaluated in UTC instead.";
        return TimeZoneInfo.Utc;
    }

    /// <summary>Resolves <see cref="TimeZone"/>, falling back to UTC.</summary>
    public TimeZoneInfo ResolveTimeZone() => ResolveTimeZone(out _);
}
