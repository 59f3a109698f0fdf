using System.Threading.Channels;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// Gathers the timer work of concurrent commits and hands it to Quartz in as few store transactions as possible:
/// every wake-up waiting when the loop comes round is stored with one <c>ScheduleJob(job, triggers)</c> call, and
/// every removal with one <c>UnscheduleJobs</c> call. On SQLite each Quartz transaction takes the write lock and
/// fsyncs, so one per commit (as <see cref="QuartzTimerScheduler"/> does per trigger) caps completions at a few
/// hundred per second; batched, the cost is shared the way the instance store's group commit shares its fsync.
/// </summary>
/// <remarks>
/// Callers still wait until their own work is stored (or has failed), so the runtime's contract is unchanged. Within
/// one batch, additions are stored before removals: a bookmark that was both added and removed (created and resumed
/// in quick succession) ends without a trigger, which is right whatever order the two requests arrived in, because a
/// bookmark id never comes back once removed. If the batched store fails, each timer is scheduled on its own through
/// <see cref="QuartzTimerScheduler"/> (idempotent, keeps an existing trigger).
/// </remarks>
public sealed partial class CoalescingTimerScheduler : ITimerScheduler, IAsyncDisposable
{
    /// <summary>Most wake-ups stored or removed per Quartz transaction.</summary>
    public const int MaxBatch = 1000;

    private readonly ISchedulerFactory _schedulers;
    private readonly ITimerScheduler _single;
    private readonly TimeProvider _clock;
    private readonly ILogger<CoalescingTimerScheduler> _logger;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _loop;
    private IJobDetail? _job;

    /// <param name="single">The one-by-one scheduler (Quartz): removals, and the fallback when a batch fails.</param>
    public CoalescingTimerScheduler(ISchedulerFactory schedulers, ITimerScheduler single, TimeProvider clock, ILogger<CoalescingTimerScheduler> logger)
    {
        _schedulers = schedulers;
        _single = single;
        _clock = clock;
        _logger = logger;
    }

    public Task ScheduleAsync(IReadOnlyCollection<DueTimer> timers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timers);
        return timers.Count == 0 ? Task.CompletedTask : EnqueueAsync(new Request(timers, []));
    }

    public Task CancelAsync(IReadOnlyCollection<string> bookmarkIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bookmarkIds);
        return bookmarkIds.Count == 0 ? Task.CompletedTask : EnqueueAsync(new Request([], bookmarkIds));
    }

    private Task EnqueueAsync(Request request)
    {
        if (_loop is null)
        {
            lock (_gate) _loop ??= Task.Run(RunAsync);
        }
        if (!_queue.Writer.TryWrite(request)) throw new ObjectDisposedException(nameof(CoalescingTimerScheduler));
        return request.Done.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Request>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var size = 0;
            while (size < MaxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
                size += request.Schedule.Count + request.Cancel.Count;
            }
            await ProcessAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Never throws: each request's task ends with success, or with the exception of the step it needed.</summary>
    private async Task ProcessAsync(List<Request> batch)
    {
        Exception? scheduleError = null, cancelError = null;
        var schedule = batch.SelectMany(r => r.Schedule).ToList();
        var cancel = batch.SelectMany(r => r.Cancel).Distinct(StringComparer.Ordinal).ToList();
        if (schedule.Count > 0)
        {
            try
            {
                await StoreAsync(schedule).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                scheduleError = ex;
            }
        }
        if (cancel.Count > 0)
        {
            try
            {
                await _single.CancelAsync(cancel, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                cancelError = ex;
            }
        }
        foreach (var request in batch)
        {
            var error = request.Schedule.Count > 0 && scheduleError is not null ? scheduleError
                : request.Cancel.Count > 0 && cancelError is not null ? cancelError
                : null;
            if (error is null) request.Done.TrySetResult();
            else request.Done.TrySetException(error);
        }
    }

    private async Task StoreAsync(List<DueTimer> timers)
    {
        var scheduler = await _schedulers.GetScheduler().ConfigureAwait(false);
        if (timers.Count == 1)
        {
            await _single.ScheduleAsync(timers, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        _job ??= await scheduler.GetJobDetail(TimerKeys.Job).ConfigureAwait(false)
                 ?? throw new InvalidOperationException($"The timer job {TimerKeys.Job} is not stored; AddExitTimers registers it with the scheduler.");
        var triggers = timers.Select(t => QuartzTimerScheduler.BuildTrigger(t, _clock)).ToList();
        try
        {
            // Replacing applies to the job (stored again as it is) and to a trigger a reconcile created meanwhile for
            // the same new bookmark; fresh bookmarks have none.
            await scheduler.ScheduleJob(_job, triggers, ScheduleJobOptions.Replacing).ConfigureAwait(false);
            LogStored(triggers.Count);
        }
        catch (SchedulerException ex)
        {
            LogBatchFailed(ex, triggers.Count);
            await _single.ScheduleAsync(timers, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate) loop = _loop;
        if (loop is not null) await loop.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Count} timer wake-ups in one Quartz transaction")]
    private partial void LogStored(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} timer wake-ups at once failed; storing them one by one")]
    private partial void LogBatchFailed(Exception ex, int count);

    private sealed record Request(IReadOnlyCollection<DueTimer> Schedule, IReadOnlyCollection<string> Cancel)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
