using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// The job behind the one wake-up trigger (<see cref="TimerKeys.WakeUp"/>): hands the firing to
/// <see cref="ITimerWakeUpHandler"/> (the due-timer sweep), resolved from a scope of its own, and waits for it, so Quartz
/// does not fire again while the sweep runs. Without a registered handler (Quartz used without the runtime) it does nothing.
/// </summary>
public sealed class WakeUpJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<ITimerWakeUpHandler>() is { } handler)
            await handler.OnWakeUpAsync(cancellationToken).ConfigureAwait(false);
    }
}
