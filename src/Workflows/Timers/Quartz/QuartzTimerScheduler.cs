using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// <see cref="ITimerScheduler"/> on Quartz: one trigger per bookmark, keyed
/// <c>exit-timers.bookmark-{bookmarkId}</c>, firing the durable job <see cref="TimerKeys.Job"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Idempotent.</b> Scheduling uses <see cref="TriggerConflict.Keep"/>: the store decides under its lock, so
/// a bookmark scheduled twice (a retry, a reconcile racing the runtime) keeps the one pending trigger and
/// raises no error.
/// </para>
/// <para>
/// <b>Misfires.</b> Triggers carry <see cref="SimpleTriggerMisfireInstruction.IgnoreMisfires"/>: a timer due
/// while the service was down is not a misfire to be judged but a wake-up that is late, so it fires at the
/// first acquisition after start. Unlike <c>FireNow</c> this does not wait for Quartz's misfire handler,
/// which handles a limited number per pass (20 by default), so a backlog of thousands drains at the
/// normal batch rate, oldest first; and the firing keeps its original scheduled time.
/// </para>
/// </remarks>
public sealed class QuartzTimerScheduler(
    ISchedulerFactory schedulerFactory,
    TimeProvider clock,
    ILogger<QuartzTimerScheduler> logger) : ITimerScheduler
{
    /// <summary>
    /// Re-fires a failed wake-up after 30 s, 1, 2, 4, 8, 16, 32 min, then hourly, 10 retries in all. After
    /// that the trigger is spent; the bookmark is still pending, so the next start-up reconcile re-creates it.
    /// </summary>
    public static readonly RetryPolicy RetryPolicy =
        RetryPolicy.Exponential(10, TimeSpan.FromSeconds(30), 2.0, TimeSpan.FromHours(1));

    /// <inheritdoc />
    public async Task ScheduleAsync(IReadOnlyCollection<DueTimer> timers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timers);
        if (timers.Count == 0)
        {
            return;
        }

        var scheduler = await schedulerFactory.GetScheduler(ct).ConfigureAwait(false);
        foreach (var timer in timers)
        {
            var result = await scheduler.ScheduleTrigger(BuildTrigger(timer, clock), TriggerConflict.Keep, ct)
                .ConfigureAwait(false);
            logger.LogDebug(
                "Timer for bookmark {BookmarkId} due {DueAt:O}: {Outcome}", timer.BookmarkId, timer.DueAt, result.Outcome);
        }
    }

    /// <inheritdoc />
    public async Task CancelAsync(IReadOnlyCollection<string> bookmarkIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bookmarkIds);
        if (bookmarkIds.Count == 0)
        {
            return;
        }

        var scheduler = await schedulerFactory.GetScheduler(ct).ConfigureAwait(false);
        var keys = bookmarkIds.Select(TimerKeys.TriggerFor).ToList();
        var removed = await scheduler.UnscheduleJobs(keys, ct).ConfigureAwait(false);
        logger.LogDebug("Cancelled {Removed} of {Requested} timers", removed.Count, keys.Count);
    }

    /// <summary>Builds the trigger for one timer (used by the reconciler's batch path too).</summary>
    internal static ITrigger BuildTrigger(DueTimer timer, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrWhiteSpace(timer.InstanceId);
        var builder = TriggerBuilder.Create(clock)
            .WithIdentity(TimerKeys.TriggerFor(timer.BookmarkId))
            .ForJob(TimerKeys.Job)
            .WithDescription($"Resume bookmark {timer.BookmarkId} of workflow instance {timer.InstanceId}")
            .StartAt(timer.DueAt)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires))
            .WithRetryPolicy(RetryPolicy)
            .UsingJobData(TimerKeys.Data.BookmarkId, timer.BookmarkId)
            .UsingJobData(TimerKeys.Data.InstanceId, timer.InstanceId)
            .UsingJobData(TimerKeys.Data.DueAt, timer.DueAt.ToString("O", CultureInfo.InvariantCulture));
        // The instance's tenant, which the firing's resume enters (none known: the reader takes the first municipality).
        if (timer.TenantId is { } tenantId) builder = builder.UsingJobData(TimerKeys.Data.TenantId, tenantId);
        return builder.Build();
    }
}
