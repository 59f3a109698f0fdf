using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Alterations;

/// <summary>
/// Runs submitted alteration plans in the background: selects the plan's instances once (stored as pending jobs), then
/// alters them one by one, each in its own commit that also marks its job done. After a restart it carries on with the
/// pending jobs: an instance is altered once, never half. Polls (real time, not the workflow clock) and is woken at once
/// when a plan is submitted.
/// </summary>
public sealed class AlterationPlanWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AlterationPlanWorker> logger) : BackgroundService
{
    private const int JobsPerPage = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Starts work on a newly submitted plan without waiting for the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunPendingPlansAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Alteration plans failed this round; trying again at the next poll");
                }
                await _wake.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            await ReleaseClaimsAsync();
        }
    }

    public async Task RunPendingPlansAsync(CancellationToken ct)
    {
        IReadOnlyList<AlterationPlan> plans;
        await using (var lookup = scopes.CreateAsyncScope())
            plans = await lookup.ServiceProvider.GetRequiredService<AlterationPlanStore>().UnfinishedAsync(ct);
        foreach (var plan in plans)
        {
            // A plan selects and alters its own municipality's instances only: everything below runs in its tenant.
            using var tenant = TenantScope.Enter(plan.TenantId);
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<AlterationPlanStore>();
            if (plan.Status == AlterationPlanStatus.Pending)
            {
                var selected = await scope.ServiceProvider.GetRequiredService<AlterationInstanceSelector>().SelectAsync(plan.Filter, ct);
                await store.StartAsync(plan.Id, selected, clock.GetUtcNow(), ct);
                logger.LogInformation("Alteration plan {PlanId} started for {Count} instances", plan.Id, selected.Count);
            }
            await RunJobsAsync(scope.ServiceProvider, store, plan, ct);
            await store.CompleteIfDoneAsync(plan.Id, clock.GetUtcNow(), ct);
        }
    }

    private async Task RunJobsAsync(IServiceProvider services, AlterationPlanStore store, AlterationPlan plan, CancellationToken ct)
    {
        var runner = services.GetRequiredService<WorkflowAlterationRunner>();
        var audit = services.GetService<IAlterationJobAudit>();
        var actor = plan.CreatedBy ?? "alteration plan";
        while (true)
        {
            // On a database several hosts share, this host works only the jobs it claimed (leased on the runtime's clock).
            var jobs = await store.ClaimPendingJobsAsync(plan.Id, JobsPerPage, clock.GetUtcNow(), ct);
            if (jobs.Count == 0) return;
            foreach (var job in jobs)
            {
                ct.ThrowIfCancellationRequested();
                AlterationOutcome outcome;
                // Each altered instance gets its own audit entry, in the commit that alters it (with the job's completion).
                var auditFor = audit is null ? null : await audit.PrepareAsync(plan, job, ct);
                IReadOnlyList<object> effects = [];
                try
                {
                    outcome = await runner.ApplyAsync(job.WorkflowInstanceId, plan.Alterations, $"{actor} (plan {plan.Id})", ct,
                        o => effects = [new AlterationJobCompleted(job.Id, o.Log, clock.GetUtcNow()), .. auditFor?.Invoke(o) ?? []]);
                }
                catch (Persistence.ConcurrencyConflictException)
                {
                    if (await store.IsPendingAsync(job.Id, ct)) throw;
                    continue; // another worker finished this job
                }
                if (outcome.Succeeded && audit is not null) await audit.AfterCommitAsync(effects, ct);
                if (!outcome.Succeeded)
                    await store.FailAsync(job.Id, outcome.Log.Concat(outcome.Problems.Select(p => $"{p.Code}: {p.Message}")).ToList(), clock.GetUtcNow(), ct);
            }
        }
    }

    /// <summary>A stopping host hands its unfinished jobs to the others at once instead of at the end of its lease.</summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlterationPlanStore>().ReleaseClaimsAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not release this host's alteration job claims; they free themselves when the lease ends");
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
