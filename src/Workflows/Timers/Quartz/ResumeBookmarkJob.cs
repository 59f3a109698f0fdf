using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// The one job behind every timer trigger. Quartz only wakes the engine: this reads the bookmark from the
/// trigger's data and hands it to <see cref="ITimerDueHandler"/>, resolved from a scope of its own.
/// </summary>
/// <remarks>
/// A handler failure is logged and rethrown as <see cref="JobExecutionException"/>, so Quartz records it
/// and re-fires the trigger under its retry policy (<see cref="QuartzTimerScheduler.RetryPolicy"/>).
/// </remarks>
public sealed class ResumeBookmarkJob(IServiceScopeFactory scopes, ILogger<ResumeBookmarkJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var timer = ReadTimer(context);
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<ITimerDueHandler>();
        try
        {
            await handler.OnTimerDueAsync(timer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(
                ex,
                "Resuming timer bookmark {BookmarkId} of instance {InstanceId} (due {DueAt:O}) failed on attempt {Attempt}",
                timer.BookmarkId, timer.InstanceId, timer.DueAt, context.RetryAttempt + 1);
            throw new JobExecutionException($"Resuming timer bookmark '{timer.BookmarkId}' failed: {ex.Message}", ex);
        }
    }

    private static DueTimer ReadTimer(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var bookmarkId = data.TryGetValue(TimerKeys.Data.BookmarkId, out var b) ? b as string : null;
        var instanceId = data.TryGetValue(TimerKeys.Data.InstanceId, out var i) ? i as string : null;
        if (string.IsNullOrEmpty(bookmarkId) || string.IsNullOrEmpty(instanceId))
        {
            throw new JobExecutionException(
                $"Trigger {context.Trigger.Key} carries no bookmark/instance id; it was not created by QuartzTimerScheduler.")
            {
                UnscheduleFiringTrigger = true,
            };
        }

        var dueAt = data.TryGetValue(TimerKeys.Data.DueAt, out var d) && d is string s &&
                    DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var tenantId = data.TryGetValue(TimerKeys.Data.TenantId, out var t) && t is string id && Tenancy.TenantIds.IsValid(id) ? id : null;
        return new DueTimer(bookmarkId, instanceId, dueAt, tenantId);
    }
}
