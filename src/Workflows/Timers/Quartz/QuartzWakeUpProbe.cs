using Exit.Workflows.Persistence;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// PostgreSQL in a cluster: lets a commit that adds a timer skip the wake-up call (Quartz's <c>ScheduleTrigger</c>, a
/// transaction that takes Quartz's <c>qrtz_locks</c> row, on which every host queues) when a pending wake-up already fires
/// no later than the timer. The writer runs <see cref="Create"/>'s statement in the commit's own transaction, just before
/// COMMIT (<see cref="PendingWakeUpProbe"/>); a commit whose earliest timer is at or after the fire time it returns is
/// marked covered and <see cref="QuartzTimerWakeUp"/> is not called for it. Without a cluster this process is the trigger's
/// only writer and <see cref="QuartzTimerWakeUp"/> remembers what it stored instead; SQL Server (never clustered) has no probe.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why the probe is enough, in a cluster.</b> The statement reads the wake-up trigger's row only if its state is
/// <c>WAITING</c> (stored and not yet acquired by any node) and its fire time is at or before the commit's timer, and takes
/// a <c>FOR SHARE</c> row lock on it, held until the commit's transaction ends. The only way to fire a trigger is for a
/// node's scheduler to acquire it first, and Quartz's acquire is an <c>UPDATE … SET trigger_state = 'ACQUIRED' WHERE … AND
/// trigger_state = 'WAITING'</c> of that row: it waits for our lock, so no node can acquire — hence fire, hence sweep —
/// this wake-up until our commit is durable. The sweep that firing runs reads the bookmarks after our commit (each of its
/// statements takes a snapshot that includes every transaction committed before it started), so it either resumes our
/// timer (due by then) or re-arms the wake-up for the first timer after its last page, which is ours or earlier. A node
/// that fired an earlier wake-up and re-arms it from a read that did not see our timer (the case that kept the check off
/// in a cluster until now: it stores a LATER fire time than this node last saw) cannot fool the probe: while that node's
/// wake-up is acquired, executing, complete or gone the row is not <c>WAITING</c> (or not there), and once re-armed its
/// fire time is the one compared with our timer. Anything else arms through Quartz as before.
/// </para>
/// <list type="bullet">
/// <item><b>Acquired</b>: a node acquires triggers up to <c>IdleWaitTime</c> before they are due and fires them then; an
/// <c>ACQUIRED</c> row does not match (its sweep may already have read the bookmarks), so the commit arms. A node that
/// releases an acquired trigger puts it back to <c>WAITING</c> with the same fire time; cluster recovery of a dead node's
/// acquired trigger does the same. Either way it fires later, after our commit.</item>
/// <item><b>Misfire</b>: the wake-up ignores misfires (<c>IgnoreMisfires</c>): a <c>WAITING</c> row whose time is past
/// stays <c>WAITING</c> until a node acquires it, i.e. it still fires, after our commit. A misfire handler that moved
/// it would update the row, which also waits for our lock.</item>
/// <item><b>Paused or blocked</b> (<c>PAUSED</c>, <c>BLOCKED</c>, <c>PAUSED_BLOCKED</c>, <c>ERROR</c>): not <c>WAITING</c>,
/// so the commit arms through Quartz exactly as before this probe existed.</item>
/// <item><b>Moved</b>: the wake-up is only ever stored with <c>TriggerConflict.KeepEarlier</c> (under Quartz's lock), so
/// after our commit it can only move earlier, which still covers our timer; moving it at all is an update that waits for
/// our lock, as does deleting it. Nothing else in the runtime writes this trigger.</item>
/// <item><b>Clock skew</b> between hosts: the decision compares two stored instants (the trigger's fire time as the node
/// that armed it stored it, our timer's due time); no host's "now" enters it. A node whose clock runs ahead fires early
/// and its sweep re-arms for what is not yet due, as before. The only "now" here is <c>@not_before</c>, which decides
/// nothing about safety (see below).</item>
/// <item><b>Locked rows are skipped</b> (<c>SKIP LOCKED</c>): a row a Quartz transaction is changing right now (acquire,
/// re-arm) is treated as not found and the commit arms; the writer never waits for Quartz inside its serial section.</item>
/// </list>
/// <para>
/// <b>Why only wake-ups more than <c>IdleWaitTime</c> + <see cref="SkewAllowance"/> ahead</b> (<c>@not_before</c>): a
/// wake-up that close may be acquired any moment, and an acquire waiting for writers' share locks would hold Quartz's lock
/// row for the whole cluster meanwhile; several hosts' overlapping commits could keep it waiting (PostgreSQL lets a new
/// share lock in beside the existing ones even while an updater waits). Such commits arm through Quartz as before, so the
/// probe only serves wake-ups that no node will acquire yet, where nobody waits for it. A <c>KeepEarlier</c> store that
/// moves the wake-up earlier (a commit with an earlier timer) can still wait for the share locks of writers' transactions,
/// each held from the probe to its COMMIT: one round trip and a commit, with gaps between a host's transactions.
/// </para>
/// <para>
/// <b>Cost</b>: one statement per writer transaction that holds a commit with a timer (not per commit), on the writer's
/// own connection and prepared; the lock it takes is the row's share lock, which does not block other writers' probes.
/// </para>
/// </remarks>
public static class QuartzWakeUpProbe
{
    /// <summary>Quartz's table prefix, which <c>AddExitTimers</c> keeps (see <c>PostgresQuartzSchema</c>).</summary>
    private const string TablePrefix = "qrtz_";

    /// <summary>Clocks of hosts in one cluster may differ by this much before a wake-up is acquired earlier than expected.</summary>
    public static readonly TimeSpan SkewAllowance = TimeSpan.FromSeconds(30);

    /// <summary>The probe for the scheduler named in <paramref name="options"/>, on <paramref name="clock"/> (Quartz's clock).</summary>
    public static PendingWakeUpProbe Create(SchedulingOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        // Quartz stores fire times as UTC ticks in bigint columns; names are its PostgreSQL script's lower-case columns.
        var sql =
            $"SELECT next_fire_time FROM {TablePrefix}triggers " +
            $"WHERE sched_name = {Literal(options.SchedulerName)} AND trigger_name = {Literal(TimerKeys.WakeUp.Name)} " +
            $"AND trigger_group = {Literal(TimerKeys.WakeUp.Group)} AND trigger_state = 'WAITING' " +
            "AND next_fire_time > @not_before AND next_fire_time <= @due FOR SHARE SKIP LOCKED";
        var horizon = options.IdleWaitTime + SkewAllowance;
        return new PendingWakeUpProbe(sql, () => (clock.GetUtcNow() + horizon).UtcTicks);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
