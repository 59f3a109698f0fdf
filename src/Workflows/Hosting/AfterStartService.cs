using Microsoft.Extensions.Hosting;

namespace Exit.Workflows.Hosting;

/// <summary>
/// Background work that begins only once the application has started — stores migrated, scheduler running — so it never
/// races the start-up steps, and that is cancelled and awaited when the host stops.
/// </summary>
public abstract class AfterStartService(IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _run = RunAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _run.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>The work; <paramref name="stopping"/> is cancelled when the host stops.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);
}
