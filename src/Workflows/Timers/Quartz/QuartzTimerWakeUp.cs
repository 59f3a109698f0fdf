using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// <see cref="ITimerWakeUp"/> as one Quartz trigger (<see cref="TimerKeys.WakeUp"/>) for the whole scheduler, stored with
/// <see cref="TriggerConflict.KeepEarlier"/>: Quartz decides under its store lock, so concurrent callers, in this process
/// or on other nodes of a cluster, can only move the wake-up earlier, never lose an earlier one.
/// </summary>
/// <remarks>
/// <para>
/// <b>Most calls cost nothing.</b> Without clustering this process is the only writer of the trigger, so the fire time it
/// last stored (or was told was kept) is what Quartz holds until it fires: while that time is still ahead, a later due
/// time needs no Quartz call at all. A storm of commits that each add a timer a day out therefore arms once. In a cluster
/// another node may have moved or fired the trigger, so every call goes to Quartz (concurrent calls share one).
/// </para>
/// <para>
/// <b>Concurrent calls share a transaction.</b> Requests that arrive while one is being stored wait for the next call,
/// which stores the earliest of them; each caller returns once a wake-up at or before its due time is stored.
/// </para>
/// </remarks>
public sealed partial class QuartzTimerWakeUp(
    ISchedulerFactory schedulers,
    TimeProvider clock,
    SchedulingOptions options,
    ILogger<QuartzTimerWakeUp> logger) : ITimerWakeUp
{
    private readonly Lock _gate = new();
    private List<TaskCompletionSource> _waiting = [];
    private DateTimeOffset? _earliestWaiting;
    private bool _storing;

    /// <summary>UTC ticks of the wake-up this process knows to be stored and pending; 0 when unknown.</summary>
    private long _storedTicks;

    public Task ArmAsync(DateTimeOffset dueAt, CancellationToken ct)
    {
        if (IsCovered(dueAt)) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Add(done);
            if (_earliestWaiting is not { } earliest || dueAt < earliest) _earliestWaiting = dueAt;
            if (!_storing)
            {
                _storing = true;
                _ = Task.Run(StoreLoopAsync, CancellationToken.None);
            }
        }
        return done.Task.WaitAsync(ct);
    }

    /// <summary>A wake-up this process stored fires no later than <paramref name="dueAt"/> and has not fired yet.</summary>
    private bool IsCovered(DateTimeOffset dueAt)
    {
        if (options.Clustered) return false;
        var stored = Volatile.Read(ref _storedTicks);
        return stored != 0 && stored <= dueAt.UtcTicks && stored > clock.GetUtcNow().UtcTicks;
    }

    private async Task StoreLoopAsync()
    {
        while (true)
        {
            List<TaskCompletionSource> batch;
            DateTimeOffset due;
            lock (_gate)
            {
                if (_waiting.Count == 0 || _earliestWaiting is not { } earliest)
                {
                    _storing = false;
                    return;
                }
                batch = _waiting;
                due = earliest;
                _waiting = [];
                _earliestWaiting = null;
            }
            try
            {
                if (!IsCovered(due)) await StoreAsync(due).ConfigureAwait(false);
                foreach (var waiter in batch) waiter.TrySetResult();
            }
            catch (Exception ex)
            {
                LogArmFailed(ex, due);
                foreach (var waiter in batch) waiter.TrySetException(ex);
            }
        }
    }

    private async Task StoreAsync(DateTimeOffset due)
    {
        var scheduler = await schedulers.GetScheduler().ConfigureAwait(false);
        var trigger = TriggerBuilder.Create(clock)
            .WithIdentity(TimerKeys.WakeUp)
            .ForJob(TimerKeys.WakeUpJob)
            .WithDescription("Wakes the workflow engine at the earliest due timer")
            .StartAt(due)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires))
            .Build();
        var result = await scheduler.ScheduleTrigger(trigger, TriggerConflict.KeepEarlier, CancellationToken.None).ConfigureAwait(false);
        Volatile.Write(ref _storedTicks, result.NextFireTimeUtc.UtcTicks);
        LogArmed(due, result.Outcome, result.NextFireTimeUtc);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer wake-up for {DueAt:O}: {Outcome}, fires at {FiresAt:O}")]
    private partial void LogArmed(DateTimeOffset dueAt, ScheduleOutcome outcome, DateTimeOffset firesAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the timer wake-up for {DueAt:O} failed")]
    private partial void LogArmFailed(Exception ex, DateTimeOffset dueAt);
}
