using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Alterations;

/// <summary>
/// The plan worker on two hosts sharing one PostgreSQL database (clustered, as in production): the hosts claim a plan's jobs
/// with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so no job is claimed by both; jobs a dead host holds stay untouched while its
/// lease runs and are finished by the live hosts once it has ended (the lease counts on the injected clock).
/// </summary>
[RequiresPostgres]
public sealed class AlterationPlanSeveralHostsTests : IAsyncLifetime
{
    private const string DefinitionId = "several-hosts";
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private PostgresTestDatabase? _database;
    private readonly List<ExitHostFactory> _hosts = [];

    public async Task InitializeAsync()
    {
        if (PostgresTestDatabase.SkipReason is null) _database = await PostgresTestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }

    private ExitHostFactory StartHost(ManualTimeProvider clock)
    {
        var host = new ExitHostFactory(clock, _database!.Options.ConnectionString, b =>
        {
            b.UseSetting("Exit:Scheduling:Clustered", "true");
            b.UseSetting("Exit:Scheduling:TimerClaimLease", Lease.ToString());
        });
        _hosts.Add(host);
        _ = host.Services; // started one after the other: the first migrates and imports, the second finds it done
        return host;
    }

    private static string Flow(bool extra) => $$"""
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "ask", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Ring tilbage" } } },
          {{(extra ? """{ "id": "extra", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "nyt trin" } } },""" : "")}}
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" } },
          {{(extra
              ? """{ "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "extra", "port": "In" } }, { "source": { "activity": "extra", "port": "Done" }, "target": { "activity": "end", "port": "In" } }"""
              : """{ "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "end", "port": "In" } }""")}}
        ]
        """;

    [DatabaseFact]
    public async Task TwoHosts_ClaimDisjointJobs_AndTakeOverADeadHostsJobsWhenItsLeaseEnds()
    {
        var clockA = new ManualTimeProvider(Start);
        var clockB = new ManualTimeProvider(Start);
        var a = StartHost(clockA);
        var b = StartHost(clockB);
        var nodeA = a.Services.GetRequiredService<AlterationJobClaim>();
        var nodeB = b.Services.GetRequiredService<AlterationJobClaim>();
        Assert.True(nodeA.Enabled && nodeB.Enabled);
        Assert.NotEqual(nodeA.Node, nodeB.Node);
        var client = a.CreateClient();
        await WorkflowApi.ImportAsync(client, WorkflowApi.Definition(DefinitionId, Flow(extra: false)));
        var instances = new List<string>();
        for (var i = 0; i < 40; i++) instances.Add(await WorkflowApi.ExecuteAsync(client, DefinitionId, $"hosts-{i}"));
        await WorkflowApi.ImportAsync(client, WorkflowApi.Definition(DefinitionId, Flow(extra: true)).Replace("\"version\": 1,\n", "\"version\": 2,\n"));

        // 1. Claims exclude each other: the two hosts' stores claim a (finished, so no worker touches it) plan's 200 jobs at
        // the same moment, page by page; every job goes to exactly one of them.
        var parked = await InsertPlanAsync(a, Enumerable.Range(0, 200).Select(i => $"parked-{i:D3}").ToList(), AlterationPlanStatus.Completed, claimedBy: null);
        var claimsA = ClaimAllAsync(a, parked);
        var claimsB = ClaimAllAsync(b, parked);
        var (byA, byB) = (await claimsA, await claimsB);
        Assert.Empty(byA.Intersect(byB));
        Assert.Equal(200, byA.Count + byB.Count);
        Assert.All(await JobsAsync(a, parked), j => Assert.Equal(byA.Contains(j.Id) ? nodeA.Node : nodeB.Node, j.ClaimedBy));

        // 2. A host died while running a plan: it holds 15 of its 40 jobs under a live lease. The live hosts finish the other 25
        // and leave those 15 alone until the lease has ended; then they finish them too.
        var plan = await InsertPlanAsync(a, instances, AlterationPlanStatus.Running, claimedBy: ("dead-host", instances.Take(15).ToHashSet()));
        await WaitAsync(() => CountAsync(a, plan, AlterationJobStatus.Completed), 25);
        await Task.Delay(TimeSpan.FromSeconds(5)); // two more polls of each host's worker
        var held = (await JobsAsync(a, plan)).Where(j => j.Status == (int)AlterationJobStatus.Pending).ToList();
        Assert.Equal(instances.Take(15).Order(), held.Select(j => j.InstanceId).Order());
        Assert.All(held, j => Assert.Equal("dead-host", j.ClaimedBy));
        foreach (var id in instances.Take(15)) Assert.Equal(1, (int)(await WorkflowApi.InstanceAsync(client, id))["version"]!);

        clockA.SetUtcNow(Start + Lease + TimeSpan.FromSeconds(1));
        clockB.SetUtcNow(Start + Lease + TimeSpan.FromSeconds(1));
        await WaitAsync(() => CountAsync(a, plan, AlterationJobStatus.Completed), 40);
        var done = await JobsAsync(a, plan);
        Assert.All(done, j => Assert.Contains(j.ClaimedBy, new[] { nodeA.Node, nodeB.Node }));
        foreach (var id in instances)
        {
            Assert.Equal(2, (int)(await WorkflowApi.InstanceAsync(client, id))["version"]!);
            Assert.Single(await WorkflowApi.JournalAsync(client, id), r => (string?)r!["eventName"] == "Altered");
        }
        await WaitAsync(async () => (string?)(await client.GetFromJsonAsync<JsonObject>($"/elsa/api/alterations/{plan}"))!["plan"]!["status"] == "Completed" ? 1 : 0, 1);
    }

    /// <summary>A plan written straight into the shared database (as a host would have left it), jobs optionally claimed.</summary>
    private static async Task<string> InsertPlanAsync(ExitHostFactory host, IReadOnlyList<string> instanceIds, AlterationPlanStatus status,
        (string Node, HashSet<string> Instances)? claimedBy)
    {
        var planId = Guid.NewGuid().ToString("N");
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        db.AlterationPlans.Add(new AlterationPlanRow
        {
            Id = planId,
            Alterations = AlterationJson.WriteAlterations([new MigrateAlteration(2)]).ToJsonString(),
            Filter = AlterationJson.WriteSelection(AlterationInstanceFilter.Empty with { WorkflowInstanceIds = instanceIds }).ToJsonString(),
            Status = (int)status,
            CreatedAt = Start,
            StartedAt = Start,
        });
        var n = 0;
        foreach (var id in instanceIds)
        {
            var claimed = claimedBy is { } c && c.Instances.Contains(id);
            db.AlterationJobs.Add(new AlterationJobRow
            {
                Id = $"{planId}-{n++:D4}",
                PlanId = planId,
                InstanceId = id,
                CreatedAt = Start,
                ClaimedBy = claimed ? claimedBy!.Value.Node : null,
                ClaimedUntil = claimed ? Start + Lease : null,
            });
        }
        await db.SaveChangesAsync();
        return planId;
    }

    private static async Task<HashSet<string>> ClaimAllAsync(ExitHostFactory host, string planId)
    {
        var mine = new HashSet<string>();
        await using var scope = host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AlterationPlanStore>();
        while (true)
        {
            var page = await store.ClaimPendingJobsAsync(planId, 7, Start, CancellationToken.None);
            if (page.Count == 0) return mine;
            foreach (var job in page) Assert.True(mine.Add(job.Id), $"job {job.Id} claimed twice by one host");
            // Claiming again returns this host's own claims: mark them as worked so the loop moves on.
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
            var ids = page.Select(j => j.Id).ToList();
            await db.AlterationJobs.Where(j => ids.Contains(j.Id)).ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, (int)AlterationJobStatus.Failed));
        }
    }

    private static async Task<List<AlterationJobRow>> JobsAsync(ExitHostFactory host, string planId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.AlterationJobs.AsNoTracking().Where(j => j.PlanId == planId).ToListAsync();
    }

    private static async Task<int> CountAsync(ExitHostFactory host, string planId, AlterationJobStatus status) =>
        (await JobsAsync(host, planId)).Count(j => j.Status == (int)status);

    private static async Task WaitAsync(Func<Task<int>> count, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        int now;
        while ((now = await count()) < expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited for {expected}, got {now}");
            await Task.Delay(100);
        }
        Assert.Equal(expected, now);
    }
}
