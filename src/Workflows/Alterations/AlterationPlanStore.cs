using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Alterations;

/// <summary>Stored alteration plans and their jobs (<c>wf_alteration_plans</c>, <c>wf_alteration_jobs</c>).</summary>
public sealed class AlterationPlanStore(IDbContextFactory<WorkflowDbContext> factory, IIdGenerator ids, AlterationJobClaim? claim = null)
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
        // A conditional update, not a read: of two hosts starting the plan at once, the second waits for the first's row
        // lock, then finds it running and writes no second set of jobs.
        var moved = await db.AlterationPlans.Where(p => p.Id == planId && p.Status == (int)AlterationPlanStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, (int)AlterationPlanStatus.Running).SetProperty(p => p.StartedAt, now), ct);
        if (moved == 0) return;
        foreach (var id in instanceIds.Distinct(StringComparer.Ordinal))
            db.AlterationJobs.Add(new AlterationJobRow { Id = ids.NewId(), PlanId = planId, InstanceId = id, CreatedAt = now });
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

    /// <summary>
    /// The next pending jobs of the plan for this host to work. With claims (PostgreSQL, several hosts) they are claimed first
    /// (<see cref="AlterationJobClaim"/>): jobs another host holds under a live lease are left to it.
    /// </summary>
    public async Task<IReadOnlyList<AlterationJob>> ClaimPendingJobsAsync(string planId, int take, DateTimeOffset now, CancellationToken ct)
    {
        if (claim is not { Enabled: true }) return await PendingJobsAsync(planId, take, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var claimed = new List<string>();
        await using (var cmd = db.Database.GetDbConnection().CreateCommand())
        {
            cmd.CommandText = AlterationJobClaim.ClaimSql;
            cmd.AddParameter("@plan", planId);
            cmd.AddParameter("@tenant", Tenancy.TenantScope.Required());
            cmd.AddParameter("@pending", (int)AlterationJobStatus.Pending);
            cmd.AddParameter("@now", now.UtcTicks);
            cmd.AddParameter("@until", (now + claim.Lease).UtcTicks);
            cmd.AddParameter("@node", claim.Node);
            cmd.AddParameter("@take", take);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) claimed.Add(reader.GetString(0));
        }
        if (claimed.Count == 0) return [];
        var rows = await db.AlterationJobs.AsNoTracking().Where(j => claimed.Contains(j.Id)).OrderBy(j => j.Id).ToListAsync(ct);
        return rows.ConvertAll(ToJob);
    }

    /// <summary>Frees this host's claims on unfinished jobs (a graceful stop), for the other hosts to take at once.</summary>
    public async Task ReleaseClaimsAsync(CancellationToken ct)
    {
        if (claim is not { Enabled: true }) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = AlterationJobClaim.ReleaseSql;
        cmd.AddParameter("@node", claim.Node);
        cmd.AddParameter("@pending", (int)AlterationJobStatus.Pending);
        await cmd.ExecuteNonQueryAsync(ct);
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
