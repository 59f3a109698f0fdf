using Exit.Activities.SupportPersons.Domain;
using Exit.Workflows.Hosting;
using Exit.Workflows.Tenancy;
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
/// begins, with no per-course timer. Each municipality has its own series: every round visits the municipalities of
/// <see cref="ITenantDirectory"/> in turn, inside each one's scope (not the national template library, which has no
/// workers). Failures are logged per municipality and retried at the next round.
/// </summary>
public sealed class SupervisionPlanner(
    IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, ITenantDirectory tenants, TimeProvider clock, SupervisionOptions options,
    ILogger<SupervisionPlanner> logger)
    : AfterStartService(lifetime)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        // Municipalities whose worker series this run has set up; one added while running gets its own at the next round.
        var ensured = new HashSet<string>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<TenantInfo> municipalities = [];
            try
            {
                municipalities = await tenants.ListAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Supervision planning could not list the municipalities; retried at the next round");
            }

            foreach (var tenant in municipalities.Where(t => t.Id != TenantIds.Templates))
            {
                try
                {
                    await PlanAsync(tenant.Id, !ensured.Contains(tenant.Id), ct);
                    ensured.Add(tenant.Id);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Supervision planning failed in municipality {TenantId}; retried at the next round", tenant.Id);
                }
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

    private async Task PlanAsync(string tenantId, bool ensureWorkerSeries, CancellationToken ct)
    {
        using var tenant = TenantScope.Enter(tenantId);
        await using var scope = scopes.CreateAsyncScope();
        var series = scope.ServiceProvider.GetRequiredService<SupervisionSeriesService>();
        if (ensureWorkerSeries && options.WorkerCadence is { } cadence) await series.EnsureWorkerSeriesAsync(cadence, ct);
        await series.PlanAsync(clock.GetUtcNow(), ct);
    }
}
