using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Timers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Execution;

public sealed class WorkflowRuntimeTests(ITestOutputHelper output)
{
    private static string Flow(string id, string activities, string connections, string variables = "[]") => $$"""
        {
          "definitionId": "{{id}}", "id": "{{id}}-v1", "name": "{{id}}", "variables": {{variables}},
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart", "activities": [{{activities}}], "connections": [{{connections}}] }
        }
        """;

    private static string Line(string id, string text) => $$"""{ "id": "{{id}}", "type": "Elsa.WriteLine", "text": "{{text}}" }""";

    private static string Connect(string from, string to, string port = "Done") =>
        $$"""{ "source": "{{from}}", "target": "{{to}}", "sourcePort": "{{port}}", "targetPort": "In" }""";

    [Fact]
    public async Task StartAsync_StartWriteLineEnd_JournalsInElsaOrderFromSequenceZero()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("simple",
            """{ "id": "Start1", "type": "Elsa.Start" }, """ + Line("W", "Hello") + """, { "id": "End1", "type": "Elsa.End" }""",
            Connect("Start1", "W") + "," + Connect("W", "End1")));

        var result = await h.StartAsync("simple");

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        var journal = await h.JournalAsync(result.InstanceId);
        Assert.Equal(
            [
                "Elsa.Workflow Started", "Elsa.Flowchart Started", "Elsa.Start Started", "Elsa.Start Completed",
                "Elsa.WriteLine Started", "Elsa.WriteLine Completed", "Elsa.End Started", "Elsa.End Completed",
                "Elsa.Flowchart Completed", "Elsa.Workflow Completed",
            ],
            journal.Select(r => $"{r.ActivityType} {r.EventName}"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), journal.Select(r => r.Sequence));
        Assert.Equal("Hello", journal.Single(r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed).ActivityState!["Text"]!.GetValue<string>());
        var instance = await h.InstanceAsync(result.InstanceId);
        Assert.Empty(instance.ActivityInstances);
        Assert.Equal(10, instance.NextJournalSequence);
    }

    [Fact]
    public async Task StartAsync_DefinitionWithoutPublishedVersion_ThrowsClearly()
    {
        await using var h = new WorkflowHarness();
        await h.SaveDraftAsync(Flow("draft", """{ "id": "Start1", "type": "Elsa.Start" }""", ""));

        var e = await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() => h.StartAsync("draft"));

        Assert.Contains("no published version", e.Message);
    }

    [Fact]
    public async Task StartAsync_WithAResolvedVersionId_RunsThatVersion_AndRefusesAnotherDefinitionsVersion()
    {
        await using var h = new WorkflowHarness();
        var first = await h.PublishAsync(Flow("versioned", """{ "id": "Start1", "type": "Elsa.Start" }, """ + Line("W", "one"), Connect("Start1", "W")));
        await h.PublishAsync(Flow("versioned", """{ "id": "Start1", "type": "Elsa.Start" }, """ + Line("W", "two"), Connect("Start1", "W")));
        var other = await h.PublishAsync(Flow("other", """{ "id": "Start1", "type": "Elsa.Start" }""", ""));

        // The caller (the execute endpoint) resolved and checked version 1 before version 2 was published: version 1 runs.
        var result = await h.Runtime.StartAsync(new StartWorkflowRequest("versioned", DefinitionVersionId: first.Id), CancellationToken.None);

        Assert.Equal(first.Id, (await h.InstanceAsync(result.InstanceId)).DefinitionVersionId);
        await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() =>
            h.Runtime.StartAsync(new StartWorkflowRequest("versioned", DefinitionVersionId: other.Id), CancellationToken.None));
    }

    [Fact]
    public async Task ResumeAsync_Delay_SuspendsThenFinishesWhenTheTimerIsDue_JournalContinuesSequence()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("delay",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "D", "type": "Elsa.Delay", "timeSpan": "00:05:00" }, """ + Line("W", "after"),
            Connect("Start1", "D") + "," + Connect("D", "W")));

        var started = await h.StartAsync("delay");

        Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);
        var timer = Assert.Single(started.Bookmarks);
        Assert.Equal(h.Clock.GetUtcNow().AddMinutes(5), timer.DueAt);
        Assert.Equal(WellKnownTypes.Delay, timer.Kind);

        var instance = await h.RunDueTimersAsync(started.InstanceId);

        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
        Assert.Equal(["after"], await h.LinesAsync(instance.Id));
        var journal = await h.JournalAsync(instance.Id);
        Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(r => r.Sequence));
        Assert.Contains(journal, r => r.ActivityId == "D" && r.EventName == JournalEvents.Suspended);
        Assert.Contains(journal, r => r.ActivityId == "D" && r.EventName == JournalEvents.Resumed);
        Assert.Empty(await h.BookmarksAsync(instance.Id));
    }

    [Fact]
    public async Task Race_FirstBranchReachesWaitAnyJoin_CancelsTheWaitingDelayAndDiscardsItsBookmark()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("race",
            """
            { "id": "Start1", "type": "Elsa.Start" },
            { "id": "D", "type": "Elsa.Delay", "timeSpan": "01:00:00" },
            { "id": "Fast", "type": "Elsa.WriteLine", "text": "fast" },
            { "id": "J", "type": "Elsa.FlowJoin", "mode": "WaitAny" },
            { "id": "W", "type": "Elsa.WriteLine", "text": "joined" }
            """,
            string.Join(",", Connect("Start1", "D"), Connect("Start1", "Fast"), Connect("D", "J"), Connect("Fast", "J"), Connect("J", "W"))));

        var result = await h.StartAsync("race");

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Empty(result.Bookmarks);
        Assert.Equal(["fast", "joined"], await h.LinesAsync(result.InstanceId));
        var journal = await h.JournalAsync(result.InstanceId);
        Assert.Contains(journal, r => r.ActivityId == "D" && r.EventName == JournalEvents.Canceled);
        Assert.Single(journal, r => r.ActivityId == "J" && r.EventName == JournalEvents.Completed);
        var discarded = Assert.Single(h.Instances.Effects.OfType<BookmarksDiscarded>());
        Assert.Single(discarded.BookmarkIds);
    }

    [Fact]
    public async Task PublishEventAsync_NameAndCorrelation_ResumesOnlyTheMatchingInstanceWithThePayload()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("event",
            """
            { "id": "Start1", "type": "Elsa.Start" },
            { "id": "E", "type": "Elsa.Event", "eventName": "approved",
              "result": { "typeName": "Object", "memoryReference": { "id": "v-payload" } } },
            { "id": "W", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'by ' + getPayload().user" } } }
            """,
            Connect("Start1", "E") + "," + Connect("E", "W"),
            """[{ "id": "v-payload", "name": "payload", "typeName": "Object", "isArray": false }]"""));
        var a = await h.StartAsync("event", correlationId: "case-a");
        var b = await h.StartAsync("event", correlationId: "case-b");
        Assert.Equal("approved", Assert.Single(a.Bookmarks).Key);

        var resumed = await h.Runtime.PublishEventAsync("approved", "case-a", new JsonObject { ["user"] = "kim" }, CancellationToken.None);

        var only = Assert.Single(resumed);
        Assert.Equal(a.InstanceId, only.InstanceId);
        Assert.Equal(WorkflowStatus.Finished, only.Status);
        Assert.Equal(["by kim"], await h.LinesAsync(a.InstanceId));
        Assert.Equal(WorkflowSubStatus.Suspended, (await h.InstanceAsync(b.InstanceId)).SubStatus);
        Assert.Empty(await h.Runtime.PublishEventAsync("other", null, null, CancellationToken.None));
    }

    [Fact]
    public async Task CancelAsync_SuspendedInstance_CancelsAndRemovesBookmarks()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("cancel",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "D", "type": "Elsa.Delay", "timeSpan": "1" }""",
            Connect("Start1", "D")));
        var started = await h.StartAsync("cancel");
        Assert.Single(await h.BookmarksAsync(started.InstanceId));

        var cancelled = await h.Runtime.CancelAsync(started.InstanceId, CancellationToken.None);

        Assert.NotNull(cancelled);
        Assert.Equal(WorkflowStatus.Finished, cancelled.Status);
        Assert.Equal(WorkflowSubStatus.Cancelled, cancelled.SubStatus);
        Assert.Empty(await h.BookmarksAsync(started.InstanceId));
        var journal = await h.JournalAsync(started.InstanceId);
        Assert.Contains(journal, r => r.ActivityId == "D" && r.EventName == JournalEvents.Canceled);
        var workflowRecord = Assert.Single(journal, r => r.ActivityType == WellKnownTypes.Workflow && r.EventName == JournalEvents.Canceled);
        Assert.Equal("Workflow cancelled", workflowRecord.Message);
        Assert.Single(h.Instances.Effects.OfType<BookmarksDiscarded>());
        Assert.Empty((await h.InstanceAsync(started.InstanceId)).ActivityInstances);
    }

    [Fact]
    public async Task RetryAsync_ActivityThrewAndWasFixed_RerunsItAndFinishesKeepingTheIncident()
    {
        var flaky = new FlakySwitch();
        await using var h = new WorkflowHarness(s =>
        {
            s.AddSingleton(flaky);
            s.AddActivity<FlakyActivity>(FlakyActivity.Descriptor);
        });
        await h.PublishAsync(Flow("flaky",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "F", "type": "Test.Flaky" }, """ + Line("W", "after"),
            Connect("Start1", "F") + "," + Connect("F", "W")));

        var faulted = await h.StartAsync("flaky");

        Assert.Equal(WorkflowStatus.Finished, faulted.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, faulted.SubStatus);
        var incident = Assert.Single(faulted.Incidents);
        Assert.Equal("F", incident.ActivityId);
        Assert.Equal("The service is down.", incident.Message);
        Assert.Contains((await h.InstanceAsync(faulted.InstanceId)).ActivityInstances, a => a.ActivityId == "F" && a.Status == ActivityStatus.Faulted);

        flaky.Broken = false;
        var retried = await h.Runtime.RetryAsync(faulted.InstanceId, CancellationToken.None);

        Assert.NotNull(retried);
        Assert.Equal(WorkflowSubStatus.Finished, retried.SubStatus);
        Assert.Single(retried.Incidents);
        Assert.Equal(["after"], await h.LinesAsync(faulted.InstanceId));
        var journal = await h.JournalAsync(faulted.InstanceId);
        Assert.Equal(["Started", "Faulted", "Started", "Completed"], journal.Where(r => r.ActivityId == "F").Select(r => r.EventName));
    }

    [Fact]
    public async Task RetryAsync_InstanceWithAWaitingTimer_AnnouncesTheTimerAgain()
    {
        var flaky = new FlakySwitch();
        var scheduler = new RecordingBookmarkScheduler();
        await using var h = new WorkflowHarness(s =>
        {
            s.AddSingleton(flaky);
            s.AddActivity<FlakyActivity>(FlakyActivity.Descriptor);
            s.AddSingleton<IBookmarkScheduler>(scheduler);
        });
        await h.PublishAsync(Flow("retry-timer",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "D", "type": "Elsa.Delay", "timeSpan": "00:05:00" }, { "id": "F", "type": "Test.Flaky" }""",
            Connect("Start1", "D") + "," + Connect("Start1", "F")));
        var faulted = await h.StartAsync("retry-timer");
        var timer = Assert.Single(faulted.Bookmarks);
        Assert.Equal([timer.Id], scheduler.Announced);

        flaky.Broken = false;
        await h.Runtime.RetryAsync(faulted.InstanceId, CancellationToken.None);

        Assert.Equal([timer.Id, timer.Id], scheduler.Announced);
    }

    [Fact]
    public async Task ResumeAsync_FaultedInstance_ResumesNothingAndAnswersWithTheBookmarkStillWaiting()
    {
        // HumanTaskService tells a worker "faulted, task still open" from exactly this answer.
        await using var h = new WorkflowHarness(s =>
        {
            s.AddSingleton(new FlakySwitch());
            s.AddActivity<FlakyActivity>(FlakyActivity.Descriptor);
        });
        await h.PublishAsync(Flow("faulted-waiting",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "D", "type": "Elsa.Delay", "timeSpan": "00:05:00" }, { "id": "F", "type": "Test.Flaky" }""",
            Connect("Start1", "D") + "," + Connect("Start1", "F")));
        var faulted = await h.StartAsync("faulted-waiting");
        var timer = Assert.Single(faulted.Bookmarks);
        var journalBefore = (await h.JournalAsync(faulted.InstanceId)).Count;

        var result = await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(timer.Id), CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Faulted, result!.SubStatus);
        Assert.Contains(result.Bookmarks, b => b.Id == timer.Id);
        Assert.Equal(journalBefore, (await h.JournalAsync(faulted.InstanceId)).Count);
    }

    private sealed class RecordingBookmarkScheduler : IBookmarkScheduler
    {
        public List<string> Announced { get; } = [];

        public Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
        {
            Announced.AddRange(added.Select(b => b.Id));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task ResumeAsync_SameBookmarkConcurrently_ExactlyOneCommitsAndTheStepRunsOnce()
    {
        await using var h = new WorkflowHarness(s => s.AddActivity<WaitActivity>(WaitActivity.Descriptor));
        await h.PublishAsync(Flow("wait", """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "X", "type": "Test.Wait" }""", Connect("Start1", "X")));
        var started = await h.StartAsync("wait");
        var bookmark = Assert.Single(started.Bookmarks);

        using var gate = new ManualResetEventSlim(false);
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            using var scope = h.Services.CreateScope();
            var runtime = scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();
            return await runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id), CancellationToken.None);
        })).ToList();
        gate.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is not null);
        Assert.Single(h.Instances.Effects.OfType<WaitActivity.Resumed>());
        Assert.Equal(WorkflowStatus.Finished, (await h.InstanceAsync(started.InstanceId)).Status);
        Assert.Single(await h.JournalAsync(started.InstanceId), r => r.ActivityId == "X" && r.EventName == JournalEvents.Resumed);
    }

    [Fact]
    public async Task ResumeAsync_EffectsOfTheRequest_AreCommittedWithTheInstance()
    {
        await using var h = new WorkflowHarness(s => s.AddActivity<WaitActivity>(WaitActivity.Descriptor));
        await h.PublishAsync(Flow("wait", """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "X", "type": "Test.Wait" }""", Connect("Start1", "X")));
        var started = await h.StartAsync("wait");

        await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(started.Bookmarks[0].Id, Effects: ["task closed"]), CancellationToken.None);

        Assert.Contains("task closed", h.Instances.Effects);
        Assert.Null(await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(started.Bookmarks[0].Id), CancellationToken.None));
    }

    [Fact]
    public async Task SuspendedInstanceWithOneDelay_StateAndBookmarkRows_AreUnderThreeKilobytes()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("small",
            """{ "id": "Start1", "type": "Elsa.Start" }, """ + Line("W1", "one") + """, { "id": "D", "type": "Elsa.Delay", "timeSpan": "00:05:00" }, """ + Line("W2", "two"),
            string.Join(",", Connect("Start1", "W1"), Connect("W1", "D"), Connect("D", "W2")),
            """[{ "id": "v1", "name": "counter", "typeName": "Int32", "value": "0" }]"""));
        var started = await h.StartAsync("small");

        var instance = await h.InstanceAsync(started.InstanceId);
        var size = JsonSerializer.SerializeToUtf8Bytes(instance).Length
                   + (await h.BookmarksAsync(started.InstanceId)).Sum(b => JsonSerializer.SerializeToUtf8Bytes(b).Length);

        output.WriteLine($"{size} bytes: {JsonSerializer.Serialize(instance)}");
        Assert.True(size < 3 * 1024, $"State is {size} bytes");
        Assert.Equal(3, instance.ActivityInstances.Count); // workflow, flowchart, delay
        Assert.Equal(0, instance.Variables["v1"]!.GetValue<int>());
    }

    [Fact]
    public async Task ImplicitLoop_VariablesConvertToDeclaredType()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("loop",
            """
            { "id": "Start1", "type": "Elsa.Start" },
            { "id": "Inc", "type": "Elsa.SetVariable", "variable": { "id": "c" },
              "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getCount() + 1" } } },
            { "id": "D", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "return getCount() >= 3;" } } },
            { "id": "W", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Variable", "value": { "id": "c" } } } }
            """,
            string.Join(",", Connect("Start1", "Inc"), Connect("Inc", "D"), Connect("D", "Inc", "False"), Connect("D", "W", "True")),
            """[{ "id": "c", "name": "count", "typeName": "Int32", "value": "0" }]"""));

        var result = await h.StartAsync("loop");

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(["3"], await h.LinesAsync(result.InstanceId));
    }

    [Fact]
    public async Task EndlessLoop_StopsAtTheBurstLimit_WithAnIncident()
    {
        await using var h = new WorkflowHarness(options: o => o.MaxWorkItemsPerBurst = 50);
        await h.PublishAsync(Flow("endless",
            """{ "id": "Start1", "type": "Elsa.Start" }, """ + Line("A", "a") + "," + Line("B", "b"),
            string.Join(",", Connect("Start1", "A"), Connect("A", "B"), Connect("B", "A"))));

        var result = await h.StartAsync("endless");

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Contains("50 work items", Assert.Single(result.Incidents).Message);
    }

    [Fact]
    public async Task FaultActivity_ThrowsWithItsMessage_InstanceFaultedWithIncident()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("fault",
            """{ "id": "Start1", "type": "Elsa.Start" }, { "id": "F", "type": "Elsa.Fault", "message": "nope" }""",
            Connect("Start1", "F")));

        var result = await h.StartAsync("fault");

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Equal("nope", Assert.Single(result.Incidents).Message);
    }
}
