using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exit.Host.Infrastructure.Health;

/// <summary>Settings of <c>Exit:Hosting</c>.</summary>
public sealed class HostingSettings
{
    /// <summary>
    /// How long a stopping host (SIGTERM) keeps serving with <c>/health/ready</c> false before it stops taking requests,
    /// so a load balancer that polls readiness moves new work to the other hosts first. Set it a little above the
    /// balancer's check interval when several hosts run; 0 (default) stops at once, as one host on its own may.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}

/// <summary>
/// Ready means: every start-up step has run (migrations, definition import, the timer scheduler and the start-up
/// sweep: the host's <c>ApplicationStarted</c>) and the host is not stopping. A load balancer sends work only to ready
/// hosts; <c>/health/live</c> answers as long as the process serves at all.
/// </summary>
public sealed class ReadinessHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("draining: stopping, takes no new work")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("started")
            : HealthCheckResult.Unhealthy("starting"));
}

/// <summary>
/// On SIGTERM, before any service stops: readiness is already false (the host is stopping), and this waits
/// <see cref="HostingSettings.DrainDelay"/> while requests are still served. Then the web server stops taking
/// connections and finishes the requests in flight, the timer sweep finishes its page and releases its claims, Quartz
/// leaves the cluster, and the group commit writes what is queued before the process ends.
/// </summary>
public sealed partial class DrainOnStop(HostingSettings settings, ILogger<DrainOnStop> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (settings.DrainDelay <= TimeSpan.Zero) return;
        LogDraining((long)settings.DrainDelay.TotalMilliseconds);
        try
        {
            await Task.Delay(settings.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: not ready, draining for {DrainMs} ms before the server stops taking requests")]
    private partial void LogDraining(long drainMs);
}
