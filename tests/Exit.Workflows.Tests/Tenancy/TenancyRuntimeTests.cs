using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Exit.Testing;
using Exit.Workflows.Definitions;
using Exit.Workflows.Definitions.Templates;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Exit.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Exit.Workflows.Tests.Tenancy;

[Collection(QuartzCollection.Name)]
public sealed class SqliteTenancyRuntimeTests() : TenancyRuntimeTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class PostgresTenancyRuntimeTests() : TenancyRuntimeTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// Two municipalities (<c>default</c> and <c>aarhus</c>) on one database, the whole runtime as the Host registers it, driven
/// by the injected clock: definitions, instances, events, timers and start triggers of one never touch the other, and
/// background work (the due-timer sweep, Quartz triggers) runs each instance in its own tenant. Every call a test makes
/// enters its tenant explicitly.
/// </summary>
public abstract class TenancyRuntimeTests(Func<Task<ITestDatabase>> createDatabase) : IAsyncLifetime
{
    private const string Aarhus = "aarhus";
    private static readonly DateTimeOffset T0 = new(2027, 1, 4, 8, 0, 0, TimeSpan.Zero);
    private readonly string _schedulerName = "exit-tenancy-test-" + Path.GetRandomFileName();
    private readonly TenantRecorder _recorder = new();
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await createDatabase();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<TriggerTestHost> StartHostAsync(ManualTimeProvider clock, string? definitionsFolder = null) =>
        TriggerTestHost.StartAsync(_database, clock, _schedulerName, definitionsFolder, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<ITenantDirectory>(new FixedDirectory([TenantIds.Default, Aarhus])));
            services.AddSingleton(_recorder);
            services.AddActivity<RecordTenantActivity>(RecordTenantActivity.Descriptor);
            services.AddSingleton<ICommitParticipant>(_recorder);
        });

    private static string DelayThenRecord(string definitionId, string text) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "D", "type": "Elsa.Delay", "timeSpan": "P1D" },
              { "id": "R", "type": "Test.RecordTenant" },
              { "id": "W", "type": "Elsa.WriteLine", "text": "{{text}}" }
            ],
            "connections": [ { "source": "Start1", "target": "D" }, { "source": "D", "target": "R" }, { "source": "R", "target": "W" } ] }
        }
        """;

    private static string WaitForEvent(string definitionId) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "E", "type": "Elsa.Event", "eventName": "paid" },
              { "id": "R", "type": "Test.RecordTenant" }
            ],
            "connections": [ { "source": "Start1", "target": "E" }, { "source": "E", "target": "R" } ] }
        }
        """;

    private static async Task<T> InAsync<T>(string tenant, Func<Task<T>> action)
    {
        using var scope = TenantScope.Enter(tenant);
        return await action();
    }

    private static async Task<WorkflowRunResult> StartAsync(TriggerTestHost host, string tenant, string definitionId)
    {
        using var inTenant = TenantScope.Enter(tenant);
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(definitionId), CancellationToken.None);
    }

    [DatabaseFact]
    public async Task Timers_InTwoMunicipalities_ResumeOnTime_EachInItsOwnTenant()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await StartHostAsync(clock);
        // The same definition id in both: each municipality's own version.
        await InAsync(TenantIds.Default, () => host.Publisher.ImportAsync(DelayThenRecord("course", "default course")));
        await InAsync(Aarhus, () => host.Publisher.ImportAsync(DelayThenRecord("course", "aarhus course")));
        var inDefault = await StartAsync(host, TenantIds.Default, "course");
        var inAarhus = await StartAsync(host, Aarhus, "course");

        clock.SetUtcNow(T0.AddDays(1).AddSeconds(-1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(_recorder.Ran);

        clock.SetUtcNow(T0.AddDays(1));
        await WaitUntilAsync(() => _recorder.Ran.Count >= 2);

        Assert.Equal(TenantIds.Default, _recorder.Ran[inDefault.InstanceId]);
        Assert.Equal(Aarhus, _recorder.Ran[inAarhus.InstanceId]);
        Assert.Equal(TenantIds.Default, _recorder.Committed[inDefault.InstanceId]);
        Assert.Equal(Aarhus, _recorder.Committed[inAarhus.InstanceId]);

        // Each ran its own municipality's version, and each sees only its own instance.
        // The recorder records inside the commit, before its transaction commits: the read waits for the commit to show.
        WorkflowInstance? aarhusInstance = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(25))
        {
            aarhusInstance = await InAsync(Aarhus, () => host.Instances.FindAsync(inAarhus.InstanceId, CancellationToken.None));
            if (aarhusInstance?.Status == WorkflowStatus.Finished) break;
        }
        Assert.Equal(WorkflowStatus.Finished, aarhusInstance!.Status);
        var journal = await InAsync(Aarhus, () => host.Instances.GetJournalAsync(inAarhus.InstanceId, 0, 100, CancellationToken.None));
        Assert.Equal("aarhus course", (string?)journal.Items.Single(r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed).ActivityState?["Text"]);
        Assert.Null(await InAsync(Aarhus, () => host.Instances.FindAsync(inDefault.InstanceId, CancellationToken.None)));
        Assert.Null(await InAsync(TenantIds.Default, () => host.Instances.FindAsync(inAarhus.InstanceId, CancellationToken.None)));
        var defaultList = await InAsync(TenantIds.Default, () => host.Instances.ListAsync(new InstanceFilter(), CancellationToken.None));
        Assert.Equal([inDefault.InstanceId], defaultList.Items.Select(i => i.Id));
        Assert.Empty((await InAsync(TenantIds.Default, () => host.Instances.GetJournalAsync(inAarhus.InstanceId, 0, 100, CancellationToken.None))).Items);
    }

    [DatabaseFact]
    public async Task PublishInOneMunicipality_NeverChangesAnothersDefinitionsOrInstances()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await StartHostAsync(clock);
        var original = await InAsync(TenantIds.Default, () => host.Publisher.ImportAsync(DelayThenRecord("course", "v1")));
        var running = await StartAsync(host, TenantIds.Default, "course");

        await InAsync(Aarhus, () => host.Publisher.ImportAsync(DelayThenRecord("course", "aarhus v1")));
        var aarhusV2 = await InAsync(Aarhus, () => host.Publisher.ImportAsync(DelayThenRecord("course", "aarhus v2")));
        Assert.Equal(2, aarhusV2.Version.Version);

        using (TenantScope.Enter(TenantIds.Default))
        {
            var latest = await host.Publisher.PublishAsync("course");
            Assert.Equal(original.Version.Id, latest.Id);
            Assert.Equal(1, latest.Version);
            var studioList = await host.Services.GetRequiredService<IWorkflowDefinitionStore>()
                .ListSummariesAsync(new DefinitionFilter(VersionOptions.AllVersions), CancellationToken.None);
            Assert.Equal([original.Version.Id], studioList.Items.Select(d => d.Id));
            Assert.Equal(1, (await host.Instances.FindAsync(running.InstanceId, CancellationToken.None))!.DefinitionVersion);
            // Deleting in aarhus below must not reach this municipality either.
        }
        Assert.Equal(2, await InAsync(Aarhus, () => host.Publisher.DeleteAsync("course")));
        Assert.NotNull(await InAsync(TenantIds.Default, () => host.Services.GetRequiredService<IWorkflowDefinitionStore>()
            .FindAsync("course", VersionOptions.Published, CancellationToken.None)));

        // A newer run in default still starts default's own version.
        var again = await StartAsync(host, TenantIds.Default, "course");
        Assert.Equal(WorkflowStatus.Running, again.Status);
        Assert.Equal(original.Version.Id, (await InAsync(TenantIds.Default, () => host.Instances.FindAsync(again.InstanceId, CancellationToken.None)))!.DefinitionVersionId);
    }

    [DatabaseFact]
    public async Task EventInOneMunicipality_NeverResumesOrStartsAnInstanceInAnother()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await StartHostAsync(clock);
        foreach (var tenant in new[] { TenantIds.Default, Aarhus })
        {
            await InAsync(tenant, () => host.Publisher.ImportAsync(WaitForEvent("waiting")));
            await InAsync(tenant, () => host.Publisher.ImportAsync(StartTriggerTests.Definition("on-paid", "Elsa.Event", "eventName", "paid")));
        }
        var waitingDefault = await StartAsync(host, TenantIds.Default, "waiting");
        var waitingAarhus = await StartAsync(host, Aarhus, "waiting");

        var results = await InAsync(Aarhus, () => host.PublishEventAsync("paid", null, null));

        Assert.Equal(2, results.Count); // aarhus' waiting instance resumed, one aarhus instance started
        Assert.Contains(results, r => r.InstanceId == waitingAarhus.InstanceId && r.Status == WorkflowStatus.Finished);
        Assert.Equal(Aarhus, _recorder.Ran[waitingAarhus.InstanceId]);
        Assert.False(_recorder.Ran.ContainsKey(waitingDefault.InstanceId));
        using (TenantScope.Enter(TenantIds.Default))
        {
            Assert.Equal(WorkflowStatus.Running, (await host.Instances.FindAsync(waitingDefault.InstanceId, CancellationToken.None))!.Status);
            Assert.Empty(await host.InstancesOfAsync("on-paid"));
        }
        using (TenantScope.Enter(Aarhus))
            Assert.Single(await host.InstancesOfAsync("on-paid"));
    }

    [DatabaseFact]
    public async Task StartTrigger_StartsItsInstanceInTheDefinitionsMunicipality_KeyedByIt()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await StartHostAsync(clock);
        await InAsync(Aarhus, () => host.Publisher.ImportAsync(StartTriggerTests.Definition("hourly", "Elsa.Timer", "interval", "PT1H")));
        Assert.Equal(["start:aarhus:hourly:T"], await host.StartTriggerNamesAsync());

        clock.SetUtcNow(T0.AddHours(1));
        using (TenantScope.Enter(Aarhus))
        {
            var started = await host.WaitForInstancesAsync("hourly", 1);
            Assert.Single(started);
        }
        using (TenantScope.Enter(TenantIds.Default))
            Assert.Empty(await host.InstancesOfAsync("hourly"));
    }

    [DatabaseFact]
    public async Task Templates_ImportedAtStartUp_AreAdoptedByEachMunicipality_UpdatesReachOnlyUnadaptedOnes()
    {
        var folder = Directory.CreateTempSubdirectory("exit-templates-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "course.json"), DelayThenRecord("course", "template v1"));
            var clock = new ManualTimeProvider(T0);
            await using (var first = await StartHostAsync(clock, folder.FullName))
            {
                var templates = first.Services.GetRequiredService<DefinitionTemplates>();
                Assert.Equal(["course"], (await templates.ListAsync(CancellationToken.None)).Select(t => t.DefinitionId));
                foreach (var tenant in new[] { TenantIds.Default, Aarhus })
                {
                    var own = await InAsync(tenant, () => first.Services.GetRequiredService<IWorkflowDefinitionStore>()
                        .FindAsync("course", VersionOptions.Published, CancellationToken.None));
                    Assert.Equal("template v1", (string?)own!.Json["root"]!["activities"]![3]!["text"]);
                    // Adopting again changes nothing: its latest is the template.
                    var again = await InAsync(tenant, () => templates.AdoptAsync("course", CancellationToken.None));
                    Assert.Equal(DefinitionImportStatus.Unchanged, again.Status);
                    Assert.Empty(await InAsync(tenant, () => templates.AdoptMissingAsync(CancellationToken.None)));
                }
                // Aarhus adapts its copy; the library and default are untouched by that.
                await InAsync(Aarhus, () => first.Publisher.ImportAsync(DelayThenRecord("course", "aarhus' own")));
                Assert.Equal(1, (await templates.ListAsync(CancellationToken.None)).Single().Version);
            }

            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "course.json"), DelayThenRecord("course", "template v2"));
            await using var second = await StartHostAsync(clock, folder.FullName);
            var store = second.Services.GetRequiredService<IWorkflowDefinitionStore>();
            var defaultNow = await InAsync(TenantIds.Default, () => store.FindAsync("course", VersionOptions.Published, CancellationToken.None));
            Assert.Equal("template v2", (string?)defaultNow!.Json["root"]!["activities"]![3]!["text"]);
            Assert.Equal(2, defaultNow.Version);
            var aarhusNow = await InAsync(Aarhus, () => store.FindAsync("course", VersionOptions.Published, CancellationToken.None));
            Assert.Equal("aarhus' own", (string?)aarhusNow!.Json["root"]!["activities"]![3]!["text"]);
            // Templates never run: the library has no start triggers and starts nothing on an event.
            Assert.Empty(await second.StartTriggerNamesAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [DatabaseFact]
    public async Task Templates_AdoptInANewMunicipality_CopiesTheLatestPublishedTemplate_RefusedInTheLibraryItself()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await StartHostAsync(clock);
        var templates = host.Services.GetRequiredService<DefinitionTemplates>();
        var template = await InAsync(TenantIds.Templates, () => host.Publisher.ImportAsync(DelayThenRecord("course", "template")));
        await InAsync(TenantIds.Templates, () => host.Publisher.ImportAsync(DelayThenRecord("supervision", "template")));

        var adopted = await InAsync("odense", () => templates.AdoptMissingAsync(CancellationToken.None));
        Assert.Equal(["course", "supervision"], adopted.Select(a => a.DefinitionId).Order());
        Assert.All(adopted, a => Assert.Equal(DefinitionImportStatus.Imported, a.Status));
        var copy = adopted.Single(a => a.DefinitionId == "course").Version;
        Assert.NotEqual(template.Version.Id, copy.Id); // version ids are the installation's keys
        Assert.True(copy.IsPublished);
        Assert.True(DefinitionPublisher.SameContent(template.Version.Json, copy.Json));

        // The template library is unchanged, and runs in odense start from odense's copy.
        Assert.Equal(2, (await templates.ListAsync(CancellationToken.None)).Count);
        var run = await StartAsync(host, "odense", "course");
        Assert.Equal(copy.Id, (await InAsync("odense", () => host.Instances.FindAsync(run.InstanceId, CancellationToken.None)))!.DefinitionVersionId);

        await Assert.ThrowsAsync<DefinitionNotFoundException>(() => InAsync("odense", () => templates.AdoptAsync("no-such", CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => InAsync(TenantIds.Templates, () => templates.AdoptMissingAsync(CancellationToken.None)));
    }

    [DatabaseFact]
    public async Task StartTriggerStoredBeforeTenancy_IsRescheduledForTheFirstMunicipalityAtStartUp()
    {
        var clock = new ManualTimeProvider(T0);
        await using (var first = await StartHostAsync(clock))
        {
            await InAsync(TenantIds.Default, () => first.Publisher.ImportAsync(StartTriggerTests.Definition("hourly", "Elsa.Timer", "interval", "PT1H")));
            // Make it look like a trigger an earlier version stored: key without a tenant, no tenant in its data.
            var scheduler = await first.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            var current = (await scheduler.GetTrigger(new Quartz.TriggerKey("start:default:hourly:T", StartTriggerKeys.Group)))!;
            var data = new Quartz.JobDataMap((IDictionary<string, object?>)current.JobDataMap.ToDictionary(x => x.Key, x => (object?)x.Value));
            data.Remove(StartTriggerKeys.Data.TenantId);
            await scheduler.UnscheduleJob(current.Key);
            await scheduler.ScheduleJob(Quartz.TriggerBuilder.Create(clock).WithIdentity("start:hourly:T", StartTriggerKeys.Group)
                .ForJob(StartTriggerKeys.Job).StartAt(T0.AddHours(1)).UsingJobData(data).Build());
            Assert.Equal(["start:hourly:T"], await first.StartTriggerNamesAsync());
        }

        await using var second = await StartHostAsync(clock);
        Assert.Equal(["start:default:hourly:T"], await second.StartTriggerNamesAsync());
        clock.SetUtcNow(T0.AddHours(1));
        using (TenantScope.Enter(TenantIds.Default))
            Assert.Single(await second.WaitForInstancesAsync("hourly", 1));
        using (TenantScope.Enter(Aarhus))
            Assert.Empty(await second.InstancesOfAsync("hourly"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition was not met in 30 s.");
            await Task.Delay(25);
        }
    }

    private sealed class FixedDirectory(IReadOnlyList<string> ids) : ITenantDirectory
    {
        public Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<TenantInfo>>(ids.Select(id => new TenantInfo(id, id)).ToList());
    }
}

/// <summary>
/// Where a test activity ran and where its effect was written: the tenant in scope when the activity executed, and the
/// tenant in scope when the commit writer handed its effect to the commit participants (what a module's rows are stamped with).
/// </summary>
public sealed class TenantRecorder : ICommitParticipant
{
    private int _calls;

    public ConcurrentDictionary<string, string?> Ran { get; } = new();
    public ConcurrentDictionary<string, string?> Committed { get; } = new();

    /// <summary>The tenants whose effects each transaction wrote (a group-commit batch may hold several).</summary>
    public ConcurrentDictionary<System.Data.Common.DbTransaction, ConcurrentBag<string?>> TenantsByTransaction { get; } = new();

    /// <summary>Holds the first commit this long, so the commits queued meanwhile share the next transaction.</summary>
    public TimeSpan FirstCommitDelay { get; init; }

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1 && FirstCommitDelay > TimeSpan.Zero) await Task.Delay(FirstCommitDelay, cancellationToken);
        foreach (var seen in effects.OfType<TenantSeen>())
        {
            Committed[seen.InstanceId] = TenantScope.Current;
            Ran[seen.InstanceId] = seen.TenantId;
            TenantsByTransaction.GetOrAdd(context.Transaction, _ => []).Add(TenantScope.Current);
        }
    }
}

public sealed record TenantSeen(string InstanceId, string? TenantId);

/// <summary>Test.RecordTenant: stages an effect naming the tenant in scope while it runs.</summary>
public sealed class RecordTenantActivity : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new() { TypeName = "Test.RecordTenant", Category = "Test", DisplayName = "Record tenant" };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        context.AddEffect(new TenantSeen(context.WorkflowInstanceId, TenantScope.Current));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
