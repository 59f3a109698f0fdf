using Exit.Activities.SupportPersons.Domain;
using Exit.Workflows.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.SupportPersons.Supervision;

/// <summary>How the worker series is set up (<c>Exit:Supervision:Workers:Cadence</c>) and how often the planner looks.</summary>
public sealed class SupervisionOptions
{
    /// <summary>The CTI workers' team supervision; the method prescribes it weekly. Null: no worker series.</summary>
    public SupervisionCadence? WorkerCadence { get; set; } = SupervisionCadence.Weekly;

    /// <summary>How often the planner runs (on the injected clock).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Plans supervision sessions on the injected <see cref="TimeProvider"/>: once the application has started (stores migrated),
/// then every <see cref="SupervisionOptions.Interval"/> — so a new month's session of each team exists soon after the month
/// begins, with no per-course timer. Failures are logged and retried at the next round.
/// </summary>
public sealed class SupervisionPlanner(
    IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, TimeProvider clock, SupervisionOptions options, ILogger<SupervisionPlanner> logger)
    : AfterStartService(lifetime)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var series = scope.ServiceProvider.GetRequiredService<SupervisionSeriesService>();
                if (first && options.WorkerCadence is { } cadence) await series.EnsureWorkerSeriesAsync(cadence, ct);
                first = false;
                await series.PlanAsync(clock.GetUtcNow(), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Supervision planning failed; retried at the next round");
            }

            try
            {
                await Task.Delay(options.Interval, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
