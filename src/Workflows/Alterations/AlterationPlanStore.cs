using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Alterations;

/// <summary>Stored alteration plans and their jobs (<c>wf_alteration_plans</c>, <c>wf_alteration_jobs</c>).</summary>
public sealed class AlterationPlanStore(IDbContextFactory<WorkflowDbContext> factory, IIdGenerator ids)
{
    public async Task<AlterationPlan> SubmitAsync(IReadOnlyList<Alteration> alterations, AlterationInstanceFilter filter, string? createdBy,
        DateTimeOffset now, CancellationToken ct)
    {
        var row = new AlterationPlanRow
        {
            Id = ids.NewId(),
            Alterations = AlterationJson.WriteAlterations(alterations).ToJsonString(),
            Filter = AlterationJson.WriteSelection(filter).ToJsonString(),
            Status = (int)AlterationPlanStatus.Pending,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.AlterationPlans.Add(row);
        await db.SaveChangesAsync(ct);
        return ToPlan(row);
    }

    public async Task<(AlterationPlan Plan, IReadOnlyList<AlterationJob> Jobs)?> FindAsync(string planId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.AlterationPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (row is null) return null;
        var jobs = await db.AlterationJobs.AsNoTracking().Where(j => j.PlanId == planId).OrderBy(j => j.InstanceId).ToListAsync(ct);
        return (ToPlan(row), jobs.ConvertAll(ToJob));
    }

    /// <summary>
    /// Every tenant's unfinished plans, for the background worker, which enters each plan's tenant before it acts on it
    /// (<see cref="AlterationPlan.TenantId"/>); everything else here reads the tenant in scope only.
    /// </summary>
    public async Task<IReadOnlyList<AlterationPlan>> UnfinishedAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.AlterationPlans.IgnoreQueryFilters().AsNoTracking().Where(p => p.Status != (int)AlterationPlanStatus.Completed)
            .OrderBy(p => p.CreatedAt).ToListAsync(ct);
        return rows.ConvertAll(ToPlan);
    }

    /// <summary>Writes one pending job per selected instance and marks the plan running, in one transaction.</summary>
    public async Task StartAsync(string planId, IReadOnlyList<string> instanceIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await db.AlterationPlans.FirstAsync(p => p.Id == planId, ct);
        if (plan.Status != (int)AlterationPlanStatus.Pending) return;
        foreach (var id in instanceIds.Distinct(StringComparer.Ordinal))
            db.AlterationJobs.Add(new AlterationJobRow { Id = ids.NewId(), PlanId = planId, InstanceId = id, CreatedAt = now });
        plan.Status = (int)AlterationPlanStatus.Running;
        plan.StartedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<AlterationJob>> PendingJobsAsync(string planId, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.AlterationJobs.AsNoTracking()
            .Where(j => j.PlanId == planId && j.Status == (int)AlterationJobStatus.Pending)
            .OrderBy(j => j.Id).Take(take).ToListAsync(ct);
        return rows.ConvertAll(ToJob);
    }

    /// <summary>A refused job: nothing of its instance changed, so its result is written on its own.</summary>
    public async Task FailAsync(string jobId, IReadOnlyList<string> log, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var job = await db.AlterationJobs.FirstAsync(j => j.Id == jobId, ct);
        if (job.Status != (int)AlterationJobStatus.Pending) return;
        job.Status = (int)AlterationJobStatus.Failed;
        job.Log = JsonSerializer.Serialize(log);
        job.CompletedAt = now;
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> IsPendingAsync(string jobId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.AlterationJobs.AnyAsync(j => j.Id == jobId && j.Status == (int)AlterationJobStatus.Pending, ct);
    }

    public async Task CompleteIfDoneAsync(string planId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.AlterationJobs.AnyAsync(j => j.PlanId == planId && j.Status == (int)AlterationJobStatus.Pending, ct)) return;
        var plan = await db.AlterationPlans.FirstAsync(p => p.Id == planId, ct);
        if (plan.Status == (int)AlterationPlanStatus.Completed) return;
        plan.Status = (int)AlterationPlanStatus.Completed;
        plan.CompletedAt = now;
        await db.SaveChangesAsync(ct);
    }

    private static AlterationPlan ToPlan(AlterationPlanRow row)
    {
        var problems = new List<AlterationInputProblem>();
        var alterations = AlterationJson.ReadAlterations(JsonNode.Parse(row.Alterations), "alterations", problems);
        var filter = AlterationJson.ReadSelection(JsonNode.Parse(row.Filter), "filter", problems);
        return new AlterationPlan(row.Id, alterations, filter, (AlterationPlanStatus)row.Status, row.CreatedBy, row.CreatedAt, row.StartedAt, row.CompletedAt)
        {
            TenantId = row.TenantId,
        };
    }

    private static AlterationJob ToJob(AlterationJobRow row) => new(row.Id, row.PlanId, row.InstanceId, (AlterationJobStatus)row.Status,
        row.Log is null ? [] : JsonSerializer.Deserialize<List<string>>(row.Log) ?? [], row.CreatedAt, row.CompletedAt);
}
