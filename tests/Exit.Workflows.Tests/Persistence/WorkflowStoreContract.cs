using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// The contract every durable store meets (Quartz's AbstractSchedulerTest pattern): subclasses supply the database.
/// Each test gets a fresh, migrated database.
/// </summary>
public abstract class WorkflowStoreContract : IAsyncLifetime
{
    private PersistenceHarness? _harness;

    protected PersistenceHarness Harness => _harness ?? throw new InvalidOperationException("Not initialised.");
    protected IWorkflowInstanceStore Instances => Harness.Instances;
    protected IWorkflowDefinitionStore Definitions => Harness.Definitions;

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    protected virtual void Configure(DatabaseOptions options) { }

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        _harness = await PersistenceHarness.CreateAsync(database, Configure,
            s => s.AddSingleton<ICommitParticipant, TestEffectParticipant>());
        await ExecuteAsync("CREATE TABLE test_effects (\"key\" varchar(100) NOT NULL PRIMARY KEY)");
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }

    [DatabaseFact]
    public async Task CommitAsync_NewInstance_FindReturnsEveryField()
    {
        var instance = Instance();
        var created = new DateTimeOffset(2026, 11, 23, 12, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var full = new WorkflowInstance
        {
            Id = instance.Id, DefinitionId = "def", DefinitionVersionId = "def:v7", DefinitionVersion = 7, CorrelationId = "corr",
            Name = "Full", Status = WorkflowStatus.Finished, SubStatus = WorkflowSubStatus.Faulted, CreatedAt = created,
            UpdatedAt = created.AddSeconds(5), FinishedAt = created.AddSeconds(9),
            Variables = new() { ["a"] = JsonValue.Create(1.5), ["b"] = new JsonObject { ["x"] = new JsonArray(1, 2) }, ["n"] = null },
            ActivityInstances = instance.ActivityInstances,
            Incidents = [new Incident("A1", "W:A1", "ai-1", "Elsa.Http", "System.IO.IOException", "disk", created.AddSeconds(8))],
            Fault = "boom",
            NextJournalSequence = 42,
            Input = new JsonObject { ["order"] = 17 },
            Output = new JsonObject { ["result"] = "ok" },
        };
        full.ActivityInstances[1].Properties = new JsonObject { ["taskId"] = "t-1" };
        full.ActivityInstances[1].ActivityState = new JsonObject { ["EventName"] = "go" };

        await Instances.CommitAsync(new InstanceCommit(full, null, [], [], [], []), default);
        var found = await Instances.FindAsync(full.Id, default);

        Assert.NotNull(found);
        Assert.Equal(1, full.ConcurrencyVersion);
        Assert.Equal(1, found.ConcurrencyVersion);
        Assert.Equal((full.Id, "def", "def:v7", 7, "corr", "Full"),
            (found.Id, found.DefinitionId, found.DefinitionVersionId, found.DefinitionVersion, found.CorrelationId, found.Name));
        Assert.Equal((WorkflowStatus.Finished, WorkflowSubStatus.Faulted), (found.Status, found.SubStatus));
        Assert.Equal(created.UtcTicks, found.CreatedAt.UtcTicks);
        Assert.Equal(full.UpdatedAt, found.UpdatedAt);
        Assert.Equal(full.FinishedAt, found.FinishedAt);
        Assert.Equal("boom", found.Fault);
        Assert.Equal(42, found.NextJournalSequence);
        Assert.Equal(Json(full.Variables), Json(found.Variables));
        Assert.Equal(Json(full.ActivityInstances), Json(found.ActivityInstances));
        Assert.Equal(Json(full.Incidents), Json(found.Incidents));
        Assert.Equal(full.Incidents[0].Timestamp, found.Incidents[0].Timestamp);
        Assert.True(JsonNode.DeepEquals(full.Input, found.Input));
        Assert.True(JsonNode.DeepEquals(full.Output, found.Output));
        Assert.True(found.ActivityInstances[0].Tokens![0].Consumed);
        Assert.Equal("ai-root", found.ActivityInstances[1].ParentId);
        Assert.Equal(ActivityStatus.Running, found.ActivityInstances[1].Status);
    }

    [DatabaseFact]
    public async Task CommitAsync_Update_WritesHeaderBookmarksAndJournal()
    {
        var instance = Instance();
        var bookmark = Bookmark(instance.Id);
        await Instances.CommitAsync(new InstanceCommit(instance, null, [bookmark], [], JournalRecords(instance.Id, 2), []), default);

        instance.Status = WorkflowStatus.Finished;
        instance.SubStatus = WorkflowSubStatus.Finished;
        instance.FinishedAt = T0.AddMinutes(1);
        instance.Output["done"] = true;
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [bookmark.Id], JournalRecords(instance.Id, 2, first: 2), []), default);

        var found = await Instances.FindAsync(instance.Id, default);
        Assert.Equal(2, found!.ConcurrencyVersion);
        Assert.Equal(WorkflowSubStatus.Finished, found.SubStatus);
        Assert.Equal(T0.AddMinutes(1), found.FinishedAt);
        Assert.True(found.Output["done"]!.GetValue<bool>());
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default));
        Assert.Equal(4, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).TotalCount);
    }

    [DatabaseFact]
    public async Task CommitAsync_SameExpectedVersionTwice_ExactlyOneWinsAndTheOtherWroteNothing()
    {
        var instance = Instance();
        await Instances.CommitAsync(StartCommit(instance), default);

        InstanceCommit Resume(string tag)
        {
            var copy = Instance(instance.Id);
            copy.Name = tag;
            return new InstanceCommit(copy, 1, [Bookmark(instance.Id, id: tag)], [], [Entry(instance.Id, 6)], []);
        }

        var results = await Task.WhenAll(new[] { "first", "second" }.Select(async tag =>
        {
            try { await Instances.CommitAsync(Resume(tag), default); return (tag, ok: true); }
            catch (ConcurrencyConflictException) { return (tag, ok: false); }
        }));

        Assert.Single(results, r => r.ok);
        var winner = results.Single(r => r.ok).tag;
        var loser = results.Single(r => !r.ok).tag;
        var found = await Instances.FindAsync(instance.Id, default);
        Assert.Equal(winner, found!.Name);
        Assert.Equal(2, found.ConcurrencyVersion);
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: loser), default));
        Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: winner), default));
        Assert.Equal(7, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).TotalCount);
    }

    [DatabaseFact]
    public async Task CommitAsync_NewInstanceTwice_SecondConflicts()
    {
        var instance = Instance();
        await Instances.CommitAsync(StartCommit(instance), default);
        var again = Instance(instance.Id);
        again.Name = "again";
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Instances.CommitAsync(
            new InstanceCommit(again, null, [Bookmark(instance.Id, id: "b-again")], [], [], []), default));
        Assert.Equal("Order intake", (await Instances.FindAsync(instance.Id, default))!.Name);
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: "b-again"), default));
    }

    [DatabaseFact]
    public async Task CommitAsync_RemovingAnAlreadyRemovedBookmark_ConflictsAndWritesNothing()
    {
        var instance = Instance();
        var bookmark = Bookmark(instance.Id);
        await Instances.CommitAsync(new InstanceCommit(instance, null, [bookmark], [], [], []), default);
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [bookmark.Id], [Entry(instance.Id, 0)], []), default);

        // A second resume of the same bookmark, from a reload that saw version 2 but a stale bookmark.
        instance.Name = "stale resume";
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Instances.CommitAsync(
            new InstanceCommit(instance, 2, [], [bookmark.Id], [Entry(instance.Id, 1)], []), default));
        Assert.Contains(bookmark.Id, ex.Message);

        var found = await Instances.FindAsync(instance.Id, default);
        Assert.Equal(2, found!.ConcurrencyVersion);
        Assert.Equal("Order intake", found.Name);
        Assert.Equal(1, (await Instances.GetJournalAsync(instance.Id, 0, 10, default)).TotalCount);
    }

    [DatabaseFact]
    public async Task CommitAsync_StaleExpectedVersion_Conflicts()
    {
        var instance = Instance();
        await Instances.CommitAsync(StartCommit(instance), default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Instances.CommitAsync(new InstanceCommit(Instance(instance.Id), 5, [], [], [], []), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Instances.CommitAsync(new InstanceCommit(Instance("missing"), 1, [], [], [], []), default));
    }

    [DatabaseFact]
    public async Task GetJournalAsync_ReturnsRecordsInSequenceOrderWithPaging()
    {
        var instance = Instance();
        var shuffled = JournalRecords(instance.Id, 8).OrderBy(r => (r.Sequence * 5) % 8).ToList();
        var withState = shuffled[0] with { ActivityState = new JsonObject { ["Text"] = "hi" }, Payload = new JsonObject { ["p"] = 1 }, Message = "m" };
        shuffled[0] = withState;
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], shuffled, []), default);
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [], JournalRecords(instance.Id, 2, first: 8), []), default);

        var page = await Instances.GetJournalAsync(instance.Id, 2, 5, default);
        Assert.Equal(10, page.TotalCount);
        Assert.Equal([2L, 3, 4, 5, 6], page.Items.Select(r => r.Sequence));
        var all = await Instances.GetJournalAsync(instance.Id, 0, 100, default);
        var stored = all.Items.Single(r => r.Sequence == withState.Sequence);
        Assert.Equal("m", stored.Message);
        Assert.Equal("hi", stored.ActivityState!["Text"]!.GetValue<string>());
        Assert.Equal(1, stored.Payload!["p"]!.GetValue<int>());
        Assert.Equal(withState.Timestamp, stored.Timestamp);
        Assert.Equal(withState with { ActivityState = null, Payload = null }, stored with { ActivityState = null, Payload = null });
    }

    [DatabaseFact]
    public async Task GetJournalAsync_RepeatedStatesAndNodePaths_ReadBackExactlyAsCommitted()
    {
        // The store leaves out a state equal to the activity's previous row and a node id that is its parent's path plus
        // the activity id (JournalCompaction); a read must give back every record as the engine wrote it.
        var instance = Instance();
        JournalRecord Row(long seq, string ai, string? parent, string activityId, string nodeId, string eventName, JsonObject? state) =>
            new(instance.Id, seq, T0.AddMilliseconds(seq), ai, parent, activityId, "Test.Type", 1, activityId + "Name", nodeId, eventName, null, state, null);
        JsonObject State(string title) => new() { ["Title"] = title, ["Assignee"] = null, ["DueAt"] = "2026-01-01T00:00:00+01:00" };
        IReadOnlyList<JournalRecord> first =
        [
            Row(0, "ai-w", null, "Workflow1", "Workflow1", JournalEvents.Started, null),
            Row(1, "ai-f", "ai-w", "flowchart1", "Workflow1:flowchart1", JournalEvents.Started, null),
            Row(2, "ai-t", "ai-f", "review1", "Workflow1:flowchart1:review1", JournalEvents.Started, State("æøå review")),
            Row(3, "ai-t", "ai-f", "review1", "Workflow1:flowchart1:review1", JournalEvents.Suspended, State("æøå review")),
            Row(4, "ai-x", "ai-f", "odd1", "Elsewhere:odd1", JournalEvents.Started, State("x")),
        ];
        IReadOnlyList<JournalRecord> second =
        [
            Row(5, "ai-t", "ai-f", "review1", "Workflow1:flowchart1:review1", JournalEvents.Resumed, State("changed")),
            Row(6, "ai-t", "ai-f", "review1", "Workflow1:flowchart1:review1", JournalEvents.Completed, State("changed")),
            Row(7, "ai-x", "ai-f", "odd1", "Elsewhere:odd1", JournalEvents.Completed, State("x")),
            Row(8, "ai-d", "ai-f", "delay1", "Workflow1:flowchart1:delay1", JournalEvents.Started, null),
        ];
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], first, []), default);
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [], second, []), default);

        var all = (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).Items;
        var page = (await Instances.GetJournalAsync(instance.Id, 3, 4, default)).Items;

        var expected = first.Concat(second).ToList();
        AssertSameRecords(expected, all);
        AssertSameRecords(expected.Skip(3).Take(4).ToList(), page);

        // Stored: a row repeating its activity's previous row in the same commit keeps only the marker (3: Suspended after
        // Started, 6: Completed after Resumed); 7 has its previous row in the other commit and is stored whole.
        var stored = await QueryStringsAsync($"""
            SELECT CAST("sequence" AS TEXT) || ':' || "activity_type" || ':' || "activity_id" || ':' || COALESCE("activity_name", '-')
            FROM "wf_journal" WHERE "instance_id" = '{instance.Id}' AND "sequence" IN (2, 3, 6, 7) ORDER BY "sequence"
            """);
        Assert.Equal(["2:Test.Type:review1:review1Name", "3:=:review1:-", "6:=:review1:-", "7:Test.Type:odd1:odd1Name"], stored);
    }

    [DatabaseFact]
    public async Task GetJournalAsync_TimestampsStoredAsStepsWithinACommit_ReadBackAsTheInstantsCommitted()
    {
        // A row after another of the same commit stores the ticks since that row (JournalCompaction.TimestampValue); the first
        // row of each commit, and a row whose clock went back, keep the whole instant. A read from any page gives the instants.
        var instance = Instance();
        var at = new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.FromHours(1));
        JournalRecord Row(long seq, DateTimeOffset timestamp) =>
            new(instance.Id, seq, timestamp, "ai-" + seq, null, "a" + seq, "Test.Type", 1, null, "a" + seq, JournalEvents.Started, null, null, null);
        IReadOnlyList<JournalRecord> first = [Row(0, at), Row(1, at), Row(2, at.AddTicks(37)), Row(3, at.AddSeconds(-2)), Row(4, at.AddDays(3))];
        IReadOnlyList<JournalRecord> second = [Row(5, at.AddDays(2)), Row(6, at.AddDays(2).AddMilliseconds(4))];
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], first, []), default);
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [], second, []), default);

        var expected = first.Concat(second).ToList();
        AssertSameRecords(expected, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).Items);
        AssertSameRecords(expected.Skip(4).Take(3).ToList(), (await Instances.GetJournalAsync(instance.Id, 4, 3, default)).Items);
        var stored = await QueryStringsAsync($"""
            SELECT CAST("timestamp" AS TEXT) FROM "wf_journal" WHERE "instance_id" = '{instance.Id}' ORDER BY "sequence"
            """);
        string Whole(DateTimeOffset t) => t.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([Whole(at), "0", "37", Whole(at.AddSeconds(-2)), (TimeSpan.TicksPerSecond * 2 + TimeSpan.TicksPerDay * 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Whole(at.AddDays(2)), (TimeSpan.TicksPerMillisecond * 4).ToString(System.Globalization.CultureInfo.InvariantCulture)], stored);
    }

    [DatabaseFact]
    public async Task GetJournalAsync_SameActivityInstanceRenamedWithinACommit_ReadsBackEachRowsOwnNames()
    {
        // Only a row whose parent, activity, type, version, name and node all equal its activity's previous row is left out.
        var instance = Instance();
        JournalRecord Row(long seq, string name, int version, string eventName) =>
            new(instance.Id, seq, T0, "ai-t", "ai-f", "review1", "Test.Type", version, name, "Workflow1:flowchart1:review1", eventName, null, null, null);
        IReadOnlyList<JournalRecord> rows =
        [
            Row(0, "Review", 1, JournalEvents.Started),
            Row(1, "Review", 2, JournalEvents.Suspended),
            Row(2, "Other", 2, JournalEvents.Resumed),
            Row(3, "Other", 2, JournalEvents.Completed),
        ];
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], rows, []), default);

        AssertSameRecords(rows, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).Items);
    }

    [DatabaseFact]
    public async Task GetJournalAsync_StateVouchedSameAsAnEarlierCommit_IsStoredAsMarkerAndReadsBackWhole()
    {
        // A Resumed row whose state the engine vouches equals the Suspended row of the earlier commit keeps only the marker;
        // the read takes the state from that row. A row without the engine's word is stored whole, even when equal.
        var instance = Instance();
        JournalRecord Row(long seq, string ai, string eventName, JsonObject? state, bool asBefore = false) =>
            new(instance.Id, seq, T0.AddMilliseconds(seq), ai, "ai-f", "review1", "Test.Type", 1, "Review", "Workflow1:flowchart1:review1",
                eventName, null, state, null) { StateAsJournaledBefore = asBefore };
        JsonObject State(string title) => new() { ["Title"] = title, ["Outcomes"] = new JsonArray("Approved", "Rejected") };
        IReadOnlyList<JournalRecord> first =
        [
            Row(0, "ai-t", JournalEvents.Started, State("æøå review")),
            Row(1, "ai-t", JournalEvents.Suspended, State("æøå review")),
            Row(2, "ai-u", JournalEvents.Started, State("other")),
        ];
        IReadOnlyList<JournalRecord> second =
        [
            Row(3, "ai-t", JournalEvents.Resumed, State("æøå review"), asBefore: true),
            Row(4, "ai-t", JournalEvents.Completed, State("æøå review")),
            Row(5, "ai-u", JournalEvents.Resumed, State("other")),
        ];
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], first, []), default);
        await Instances.CommitAsync(new InstanceCommit(instance, 1, [], [], second, []), default);

        var expected = first.Concat(second).Select(r => r with { StateAsJournaledBefore = false }).ToList();
        AssertSameRecords(expected, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).Items);
        AssertSameRecords(expected.Skip(3).Take(2).ToList(), (await Instances.GetJournalAsync(instance.Id, 3, 2, default)).Items);
        var stored = await QueryStringsAsync($"""
            SELECT CAST("sequence" AS TEXT) || ':' || COALESCE("activity_state", '-')
            FROM "wf_journal" WHERE "instance_id" = '{instance.Id}' AND "sequence" IN (3, 4, 5) ORDER BY "sequence"
            """);
        Assert.Equal(["3:=", "4:=", "5:" + State("other").ToJsonString()], stored);
    }

    [DatabaseFact]
    public async Task GetJournalAsync_RowsStoredInFullBeforeCompaction_ReadAsStored()
    {
        var instance = Instance();
        await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], [], []), default);
        // Written as the store wrote rows before it left anything out: full state and node id on every row.
        foreach (var (seq, eventName) in new[] { (0, "Started"), (1, "Suspended") })
            await ExecuteAsync($$"""
                INSERT INTO "wf_journal" ("instance_id", "sequence", "timestamp", "activity_instance_id", "parent_activity_instance_id",
                    "activity_id", "activity_type", "activity_type_version", "activity_name", "node_id", "event_name", "message", "activity_state", "payload")
                VALUES ('{{instance.Id}}', {{seq}}, {{T0.UtcTicks}}, 'ai-t', 'ai-f', 'review1', 'Exit.HumanTask', 1, 'Review',
                    'Workflow1:flowchart1:review1', '{{eventName}}', NULL, '{"Title":"T","DueAt":"0001-01-01T00:00:00\u002B00:00"}', NULL)
                """);

        var all = (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).Items;

        Assert.Equal(2, all.Count);
        Assert.All(all, r => Assert.Equal(("Workflow1:flowchart1:review1", "T", "0001-01-01T00:00:00+00:00"),
            (r.NodeId, r.ActivityState!["Title"]!.GetValue<string>(), r.ActivityState!["DueAt"]!.GetValue<string>())));
    }

    private static void AssertSameRecords(IReadOnlyList<JournalRecord> expected, IReadOnlyList<JournalRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i].ActivityState, actual[i].ActivityState),
                $"state of #{expected[i].Sequence}: {expected[i].ActivityState?.ToJsonString()} vs {actual[i].ActivityState?.ToJsonString()}");
            Assert.Equal(expected[i] with { ActivityState = null }, actual[i] with { ActivityState = null });
        }
    }

    [DatabaseFact]
    public async Task ListAsync_FiltersOrdersAndPagesOnHeaderColumns()
    {
        for (var i = 0; i < 5; i++)
        {
            var instance = Instance($"inst-{i}", T0.AddMinutes(i), definitionId: i % 2 == 0 ? "even" : "odd");
            if (i == 4) { instance.Status = WorkflowStatus.Finished; instance.SubStatus = WorkflowSubStatus.Finished; instance.Name = "Special ONE"; }
            await Instances.CommitAsync(new InstanceCommit(instance, null, [], [], [], []), default);
        }

        var newest = await Instances.ListAsync(new InstanceFilter(PageSize: 2), default);
        Assert.Equal(5, newest.TotalCount);
        Assert.Equal(["inst-4", "inst-3"], newest.Items.Select(x => x.Id));
        var second = await Instances.ListAsync(new InstanceFilter(Page: 1, PageSize: 2, Descending: false), default);
        Assert.Equal(["inst-2", "inst-3"], second.Items.Select(x => x.Id));
        Assert.Equal(3, (await Instances.ListAsync(new InstanceFilter(DefinitionId: "even"), default)).TotalCount);
        Assert.Equal(5, (await Instances.ListAsync(new InstanceFilter(DefinitionIds: ["even", "odd"]), default)).TotalCount);
        Assert.Equal(["inst-4"], (await Instances.ListAsync(new InstanceFilter(Status: WorkflowStatus.Finished), default)).Items.Select(x => x.Id));
        Assert.Equal(4, (await Instances.ListAsync(new InstanceFilter(SubStatus: WorkflowSubStatus.Suspended), default)).TotalCount);
        Assert.Equal(["inst-1"], (await Instances.ListAsync(new InstanceFilter(CorrelationId: "case-inst-1"), default)).Items.Select(x => x.Id));
        var search = await Instances.ListAsync(new InstanceFilter(SearchTerm: "special one"), default);
        var row = Assert.Single(search.Items);
        Assert.Equal(new WorkflowInstanceSummary("inst-4", "even", "even:v1", 1, "case-inst-4", "Special ONE", WorkflowStatus.Finished,
            WorkflowSubStatus.Finished, 0, T0.AddMinutes(4), T0.AddMinutes(4), null), row);
    }

    [DatabaseFact]
    public async Task FindBookmarksAsync_ByFilterAndDueTimersInDueOrder()
    {
        var instance = Instance();
        var late = Bookmark(instance.Id, "timer-late", "Elsa.Delay", null, dueAt: T0.AddMinutes(10));
        var early = Bookmark(instance.Id, "timer-early", "Elsa.Delay", null, dueAt: T0.AddMinutes(5));
        var evt = Bookmark(instance.Id, "event", "Elsa.Event", "go");
        var withPayload = new Bookmark
        {
            Id = "task", InstanceId = instance.Id, ActivityInstanceId = "ai-t", ActivityNodeId = "n", Kind = "Exit.HumanTask", Key = "t-1",
            CorrelationId = "other", CreatedAt = T0, Payload = new JsonObject { ["assignee"] = "kim" },
        };
        await Instances.CommitAsync(new InstanceCommit(instance, null, [late, early, evt, withPayload], [], [], []), default);
        var other = Instance();
        await Instances.CommitAsync(new InstanceCommit(other, null, [Bookmark(other.Id, "other-event", "Elsa.Event", "stop")], [], [], []), default);

        Assert.Equal(["event"], (await Instances.FindBookmarksAsync(new BookmarkFilter(Kind: "Elsa.Event", Key: "go"), default)).Select(b => b.Id));
        Assert.Equal(4, (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default)).Count);
        var task = Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(CorrelationId: "other"), default));
        Assert.Equal("kim", task.Payload!["assignee"]!.GetValue<string>());
        Assert.Equal(["timer-early"], (await Instances.FindBookmarksAsync(new BookmarkFilter(DueBefore: T0.AddMinutes(7)), default)).Select(b => b.Id));
        Assert.Equal(["timer-early", "timer-late"], (await Instances.FindBookmarksAsync(new BookmarkFilter(TimersOnly: true), default)).Select(b => b.Id));
        Assert.Equal(["timer-early"], (await Instances.FindBookmarksAsync(new BookmarkFilter(TimersOnly: true) { Take = 1 }, default)).Select(b => b.Id));
        var stored = Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: "timer-late"), default));
        Assert.Equal(T0.AddMinutes(10), stored.DueAt);
        Assert.Equal((late.ActivityInstanceId, late.ActivityNodeId, late.Kind, late.CorrelationId, late.CreatedAt),
            (stored.ActivityInstanceId, stored.ActivityNodeId, stored.Kind, stored.CorrelationId, stored.CreatedAt));

        var streamed = new List<string>();
        await foreach (var b in Instances.ListTimerBookmarksAsync(default)) streamed.Add(b.Id);
        Assert.Equal(["timer-early", "timer-late"], streamed);
    }

    [DatabaseFact]
    public async Task CommitAsync_SixteenConcurrentCallersWithOneConflict_OnlyTheConflictFails()
    {
        var existing = Instance();
        await Instances.CommitAsync(StartCommit(existing), default);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = Enumerable.Range(0, 16).Select(_ => StartCommit()).ToList();
        var conflicting = new InstanceCommit(Instance(existing.Id), 7, [Bookmark(existing.Id, "conflict-bm")], [], [Entry(existing.Id, 6)], []);
        commits.Insert(8, conflicting);

        var tasks = commits.Select(async c =>
        {
            await gate.Task;
            try { await Instances.CommitAsync(c, default); return (Exception?)null; }
            catch (Exception ex) { return ex; }
        }).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.IsType<ConcurrencyConflictException>(results[8]);
        Assert.All(results.Where((_, i) => i != 8), r => Assert.Null(r));
        foreach (var c in commits.Where(c => c != conflicting))
        {
            Assert.NotNull(await Instances.FindAsync(c.Instance.Id, default));
            Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: c.Instance.Id), default));
            Assert.Equal(6, (await Instances.GetJournalAsync(c.Instance.Id, 0, 10, default)).TotalCount);
        }
        Assert.Equal(1, (await Instances.FindAsync(existing.Id, default))!.ConcurrencyVersion);
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: "conflict-bm"), default));
        Assert.Equal(6, (await Instances.GetJournalAsync(existing.Id, 0, 10, default)).TotalCount);
    }

    [DatabaseFact]
    public async Task CommitAsync_ParticipantThrows_RollsBackOnlyItsCommit()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = Enumerable.Range(0, 6)
            .Select(i => StartCommit(effects: [new TestEffect($"effect-{i}", Fail: i == 3)]))
            .ToList();
        var tasks = commits.Select(async c =>
        {
            await gate.Task;
            try { await Instances.CommitAsync(c, default); return (Exception?)null; }
            catch (Exception ex) { return ex; }
        }).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.IsType<ConcurrencyConflictException>(results[3]);
        Assert.Null(await Instances.FindAsync(commits[3].Instance.Id, default));
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: commits[3].Instance.Id), default));
        Assert.Equal(0, (await Instances.GetJournalAsync(commits[3].Instance.Id, 0, 10, default)).TotalCount);
        var effects = await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\"");
        Assert.Equal(["effect-0", "effect-1", "effect-2", "effect-4", "effect-5"], effects);
        for (var i = 0; i < 6; i++)
        {
            if (i == 3) continue;
            Assert.Null(results[i]);
            Assert.NotNull(await Instances.FindAsync(commits[i].Instance.Id, default));
        }
    }

    [DatabaseFact]
    public async Task CommitAsync_OneBatchWithConflictsErrorsAndParticipantFailure_EachCallerGetsItsOwnOutcome()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        var existing = Instance();
        await Instances.CommitAsync(StartCommit(existing), default);
        var existingBookmark = (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: existing.Id), default))[0];

        // The writer is held inside the first commit's participant, so every commit below queues into one batch.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);

        var fresh = StartCommit();
        var sameBatchUpdate = new InstanceCommit(fresh.Instance, 1, [], [fresh.AddedBookmarks[0].Id], [Entry(fresh.Instance.Id, 6)], []);
        var commits = new List<(string Name, InstanceCommit Commit)>
        {
            ("ok-1", StartCommit()),
            ("fresh", fresh),
            ("stale", new InstanceCommit(Instance(existing.Id), 9, [], [], [], [])),
            ("ok-2", StartCommit(effects: [new TestEffect("ok-2")])),
            ("participant-fails", StartCommit(effects: [new TestEffect("bad", Fail: true)])),
            ("duplicate-bookmark", new InstanceCommit(Instance(), null, [Bookmark(existing.Id, existingBookmark.Id)], [], [], [])),
            ("same-batch-update", sameBatchUpdate),
            ("resume-existing", new InstanceCommit(Instance(existing.Id), 1, [], [existingBookmark.Id], [Entry(existing.Id, 6)], [])),
            ("resume-existing-again", new InstanceCommit(Instance(existing.Id), 2, [], [existingBookmark.Id], [Entry(existing.Id, 7)], [])),
            ("ok-3", StartCommit(effects: [new TestEffect("ok-3")])),
        };
        var tasks = commits.Select(c => Outcome(Instances.CommitAsync(c.Commit, default))).ToList();
        gate.SetResult();
        await blocker;
        var outcomes = commits.Zip(await Task.WhenAll(tasks), (c, o) => $"{c.Name}: {o}").ToList();

        Assert.Equal(
        [
            "ok-1: ok", "fresh: ok", "stale: ConcurrencyConflictException", "ok-2: ok", "participant-fails: ConcurrencyConflictException",
            "duplicate-bookmark: ConcurrencyConflictException", "same-batch-update: ok", "resume-existing: ok",
            "resume-existing-again: ConcurrencyConflictException", "ok-3: ok",
        ], outcomes);
        Assert.Equal(2, (await Instances.FindAsync(fresh.Instance.Id, default))!.ConcurrencyVersion);
        Assert.Equal(2, (await Instances.FindAsync(existing.Id, default))!.ConcurrencyVersion);
        Assert.Null(await Instances.FindAsync(commits[4].Commit.Instance.Id, default));
        Assert.Null(await Instances.FindAsync(commits[5].Commit.Instance.Id, default));
        Assert.Equal(7, (await Instances.GetJournalAsync(existing.Id, 0, 100, default)).TotalCount);
        Assert.Equal(["ok-2", "ok-3"], await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
    }

    [DatabaseFact]
    public async Task CommitAsync_OneBatchWhoseLastCommitConflicts_OnlyThatCallerFailsAndEveryOtherCommitIsStoredOnce()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        var existing = Instance();
        await Instances.CommitAsync(StartCommit(existing), default);

        // Held inside the first commit's participant, the writer finds every commit below waiting as one batch. On SQLite
        // that batch is first applied without savepoints; the conflict comes last, after every good commit (rows and
        // participant rows) was written, so the whole attempt must be rolled back and the good commits written again, once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);
        var good = Enumerable.Range(0, 7).Select(i => StartCommit(effects: [new TestEffect($"good-{i}")])).ToList();
        var conflicting = new InstanceCommit(Instance(existing.Id), null, [Bookmark(existing.Id, "conflict-bm")], [],
            [Entry(existing.Id, 6)], [new TestEffect("conflicting")]);
        var tasks = good.Append(conflicting).Select(c => Outcome(Instances.CommitAsync(c, default))).ToList();
        gate.SetResult();
        await blocker;
        var outcomes = await Task.WhenAll(tasks);

        Assert.Equal([.. Enumerable.Repeat("ok", 7), "ConcurrencyConflictException"], outcomes);
        foreach (var c in good)
        {
            Assert.Equal(1, (await Instances.FindAsync(c.Instance.Id, default))!.ConcurrencyVersion);
            Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: c.Instance.Id), default));
            Assert.Equal(6, (await Instances.GetJournalAsync(c.Instance.Id, 0, 100, default)).TotalCount);
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"good-{i}"), await QueryStringsAsync("SELECT key FROM test_effects ORDER BY key"));
        Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: "conflict-bm"), default));
        Assert.Equal(6, (await Instances.GetJournalAsync(existing.Id, 0, 100, default)).TotalCount);
        // SQLite and PostgreSQL took the path this test is about: the attempt without savepoints failed and the batch was applied again.
        if (Harness.Options.Provider is DatabaseProvider.Sqlite or DatabaseProvider.Postgres)
            Assert.Equal(1, ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)Instances).WriterRetriedBatches);
    }

    /// <summary>Instances of the mixed-batch tests: each waits on a task (event bookmark) or a timer (due bookmark).</summary>
    private async Task<List<(WorkflowInstance Instance, Bookmark Waiting)>> WaitingInstancesAsync(int count, bool timer)
    {
        var list = new List<(WorkflowInstance, Bookmark)>();
        for (var i = 0; i < count; i++)
        {
            var instance = Instance();
            var waiting = timer ? Bookmark(instance.Id, kind: "Elsa.Delay", key: null, dueAt: T0.AddMinutes(5)) : Bookmark(instance.Id);
            await Instances.CommitAsync(new InstanceCommit(instance, null, [waiting], [], JournalRecords(instance.Id, 6), []), default);
            list.Add((instance, waiting));
        }
        return list;
    }

    /// <summary>A task completion: the task's bookmark goes, the next one comes, three journal rows, a participant row.</summary>
    private static InstanceCommit Completion(WorkflowInstance instance, Bookmark task, string effect, long firstSequence = 6)
    {
        var next = Instance(instance.Id);
        next.UpdatedAt = T0.AddMinutes(1);
        return new InstanceCommit(next, 1, [Bookmark(instance.Id)], [task.Id], JournalRecords(instance.Id, 3, firstSequence), [new TestEffect(effect)]);
    }

    /// <summary>A timer resume that finishes the instance: the timer's bookmark goes, two journal rows, no participant rows.</summary>
    private static InstanceCommit TimerResume(WorkflowInstance instance, Bookmark timer, long expectedVersion = 1)
    {
        var next = Instance(instance.Id);
        next.Status = WorkflowStatus.Finished;
        next.SubStatus = WorkflowSubStatus.Finished;
        next.UpdatedAt = T0.AddMinutes(5);
        next.FinishedAt = T0.AddMinutes(5);
        return new InstanceCommit(next, expectedVersion, [], [timer.Id], JournalRecords(instance.Id, 2, 6), []);
    }

    [DatabaseFact]
    public async Task CommitAsync_OneBatchMixingStartsTaskCompletionsAndTimerResumes_EveryCommitIsStoredAsIfAlone()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        // 40 of each kind: 80 instance updates and 480 journal rows, more than one multi-row statement holds on SQLite.
        var tasks = await WaitingInstancesAsync(40, timer: false);
        var timers = await WaitingInstancesAsync(40, timer: true);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);
        var starts = Enumerable.Range(0, 40).Select(i => StartCommit(effects: [new TestEffect($"start-{i:D2}")])).ToList();
        var completions = tasks.Select((t, i) => Completion(t.Instance, t.Waiting, $"done-{i:D2}")).ToList();
        var resumes = timers.Select(t => TimerResume(t.Instance, t.Waiting)).ToList();
        // Interleaved, as callers of the three kinds arrive at the writer.
        var batch = Enumerable.Range(0, 40).SelectMany(i => new[] { starts[i], completions[i], resumes[i] }).ToList();
        var outcomes = batch.Select(c => Outcome(Instances.CommitAsync(c, default))).ToList();
        gate.SetResult();
        await blocker;

        Assert.All(await Task.WhenAll(outcomes), o => Assert.Equal("ok", o));
        foreach (var c in starts)
        {
            Assert.Equal(1, (await Instances.FindAsync(c.Instance.Id, default))!.ConcurrencyVersion);
            Assert.Equal([c.AddedBookmarks[0].Id], (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: c.Instance.Id), default)).Select(b => b.Id));
            Assert.Equal(6, (await Instances.GetJournalAsync(c.Instance.Id, 0, 100, default)).TotalCount);
        }
        foreach (var c in completions)
        {
            var stored = (await Instances.FindAsync(c.Instance.Id, default))!;
            Assert.Equal(2, stored.ConcurrencyVersion);
            Assert.Equal(T0.AddMinutes(1), stored.UpdatedAt);
            Assert.Equal([c.AddedBookmarks[0].Id], (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: c.Instance.Id), default)).Select(b => b.Id));
            Assert.Equal(9, (await Instances.GetJournalAsync(c.Instance.Id, 0, 100, default)).TotalCount);
        }
        foreach (var c in resumes)
        {
            var stored = (await Instances.FindAsync(c.Instance.Id, default))!;
            Assert.Equal(2, stored.ConcurrencyVersion);
            Assert.Equal(WorkflowStatus.Finished, stored.Status);
            Assert.Equal(T0.AddMinutes(5), stored.FinishedAt);
            Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: c.Instance.Id), default));
            Assert.Equal(8, (await Instances.GetJournalAsync(c.Instance.Id, 0, 100, default)).TotalCount);
        }
        Assert.Equal(starts.Select((_, i) => $"start-{i:D2}").Concat(completions.Select((_, i) => $"done-{i:D2}")).Order(StringComparer.Ordinal),
            await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
        // SQLite and PostgreSQL wrote the batch in their multi-row statements at the first attempt.
        if (Harness.Options.Provider is DatabaseProvider.Sqlite or DatabaseProvider.Postgres)
            Assert.Equal(0, ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)Instances).WriterRetriedBatches);
    }

    [DatabaseFact]
    public async Task CommitAsync_OneMixedBatchWithAStaleTimerResumeADuplicateJournalRowAndAnExistingInstance_OnlyThoseCallersFail()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        var tasks = await WaitingInstancesAsync(6, timer: false);
        var timers = await WaitingInstancesAsync(6, timer: true);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);
        var commits = new List<(string Name, InstanceCommit Commit)>();
        for (var i = 0; i < 6; i++)
        {
            commits.Add(($"start-{i}", StartCommit(effects: [new TestEffect($"start-{i}")])));
            commits.Add(i == 2
                // sequence 5 is already stored: the journal's key refuses the row (a constraint, not a version check)
                ? ($"completion-{i}-duplicate-journal", Completion(tasks[i].Instance, tasks[i].Waiting, $"done-{i}", firstSequence: 5))
                : ($"completion-{i}", Completion(tasks[i].Instance, tasks[i].Waiting, $"done-{i}")));
            commits.Add(i == 4
                ? ($"timer-{i}-stale", TimerResume(timers[i].Instance, timers[i].Waiting, expectedVersion: 7))
                : ($"timer-{i}", TimerResume(timers[i].Instance, timers[i].Waiting)));
        }
        commits.Add(("start-existing", StartCommit(Instance(tasks[0].Instance.Id), effects: [new TestEffect("start-existing")])));
        var outcomes = commits.Select(c => Outcome(Instances.CommitAsync(c.Commit, default))).ToList();
        gate.SetResult();
        await blocker;
        var results = commits.Zip(await Task.WhenAll(outcomes), (c, o) => $"{c.Name}: {o}").ToList();

        string[] failing = ["completion-2-duplicate-journal", "timer-4-stale", "start-existing"];
        Assert.Equal(commits.Select(c => $"{c.Name}: {(failing.Contains(c.Name) ? "ConcurrencyConflictException" : "ok")}"), results);
        // Nothing of a failed commit: the duplicate-journal completion and the stale resume left their instance as it was.
        foreach (var (instance, waiting) in new[] { tasks[2], timers[4] })
        {
            Assert.Equal(1, (await Instances.FindAsync(instance.Id, default))!.ConcurrencyVersion);
            Assert.Equal([waiting.Id], (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default)).Select(b => b.Id));
            Assert.Equal(6, (await Instances.GetJournalAsync(instance.Id, 0, 100, default)).TotalCount);
        }
        // The existing instance the failed start named is the completed one, untouched by that start.
        Assert.Equal(2, (await Instances.FindAsync(tasks[0].Instance.Id, default))!.ConcurrencyVersion);
        Assert.Equal(9, (await Instances.GetJournalAsync(tasks[0].Instance.Id, 0, 100, default)).TotalCount);
        // Every good commit is stored once.
        foreach (var i in new[] { 0, 1, 3, 4, 5 })
        {
            Assert.Equal(2, (await Instances.FindAsync(tasks[i].Instance.Id, default))!.ConcurrencyVersion);
            Assert.Single(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: tasks[i].Instance.Id), default));
        }
        foreach (var i in new[] { 0, 1, 2, 3, 5 })
        {
            Assert.Equal(WorkflowStatus.Finished, (await Instances.FindAsync(timers[i].Instance.Id, default))!.Status);
            Assert.Empty(await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: timers[i].Instance.Id), default));
            Assert.Equal(8, (await Instances.GetJournalAsync(timers[i].Instance.Id, 0, 100, default)).TotalCount);
        }
        foreach (var (name, commit) in commits.Where(c => c.Name.StartsWith("start-", StringComparison.Ordinal) && c.Name != "start-existing"))
            Assert.Equal(6, (await Instances.GetJournalAsync(commit.Instance.Id, 0, 100, default)).TotalCount);
        Assert.Equal(["done-0", "done-1", "done-3", "done-4", "done-5", "start-0", "start-1", "start-2", "start-3", "start-4", "start-5"],
            await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
        if (Harness.Options.Provider is DatabaseProvider.Sqlite or DatabaseProvider.Postgres)
            Assert.Equal(1, ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)Instances).WriterRetriedBatches);
    }

    [DatabaseFact]
    public async Task CommitAsync_OneBatchWithBatchedParticipantWork_EachCallerGetsItsOwnOutcome()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);

        // Batched participant work that succeeds, fails its check, or breaks a key inside the batch, mixed with a commit
        // whose participant cannot batch (it ends the round) and one without effects.
        BatchedTestEffect b1 = new("b-1"), bad = new("b-bad", fail: true), b2 = new("b-2"), duplicate = new("b-1"), b3 = new("b-3");
        var commits = new List<(string Name, InstanceCommit Commit)>
        {
            ("b1", StartCommit(effects: [b1])),
            ("check-fails", StartCommit(effects: [bad])),
            ("b2", StartCommit(effects: [b2])),
            ("not-batchable", StartCommit(effects: [new TestEffect("t-1")])),
            ("plain", StartCommit()),
            ("b3", StartCommit(effects: [b3])),
            ("duplicate-key", StartCommit(effects: [duplicate])),
        };
        var tasks = commits.Select(c => Outcome(Instances.CommitAsync(c.Commit, default))).ToList();
        gate.SetResult();
        await blocker;
        var outcomes = commits.Zip(await Task.WhenAll(tasks), (c, o) => $"{c.Name}: {o}").ToList();

        Assert.Equal(
        [
            "b1: ok", "check-fails: ConcurrencyConflictException", "b2: ok", "not-batchable: ok", "plain: ok", "b3: ok",
            "duplicate-key: ConcurrencyConflictException",
        ], outcomes);
        Assert.Equal(["b-1", "b-2", "b-3", "t-1"], await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
        Assert.Null(await Instances.FindAsync(commits[1].Commit.Instance.Id, default));
        Assert.Null(await Instances.FindAsync(commits[6].Commit.Instance.Id, default));
        Assert.Equal(0, (await Instances.GetJournalAsync(commits[6].Commit.Instance.Id, 0, 10, default)).TotalCount);
        foreach (var i in new[] { 0, 2, 3, 4, 5 }) Assert.NotNull(await Instances.FindAsync(commits[i].Commit.Instance.Id, default));
        Assert.True(b1.Applied && b2.Applied && b3.Applied);
        Assert.False(bad.Applied || duplicate.Applied);
        // PostgreSQL sent the batchable work in the writer's batch (the round with the broken key is then applied again one
        // commit at a time); SQLite and SQL Server (no batch path) did not.
        var batches = Harness.Options.Provider == DatabaseProvider.Postgres;
        Assert.All(new[] { b1, bad, b2, duplicate, b3 }, e => Assert.Equal(batches, e.SentInBatch));
    }

    [DatabaseFact]
    public async Task CommitAsync_OneMixedBatchWithAStaleCompletionCarryingParticipantRows_OnlyThatCallerFailsAndNoneOfItsRowsAreStored()
    {
        if (!Harness.Options.GroupCommit) return; // this test arranges one group-commit batch
        var tasks = await WaitingInstancesAsync(5, timer: false);
        var timers = await WaitingInstancesAsync(5, timer: true);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Instances.CommitAsync(StartCommit(effects: [new GateEffect(gate.Task)]), default);
        // Each completion carries a participant row that joins the writer's batch (as a task row and an audit row do);
        // completion 3 was decided on a version of its instance that another commit has since replaced.
        var effects = Enumerable.Range(0, 5).Select(i => new BatchedTestEffect(i == 3 ? "done-3-stale" : $"done-{i}")).ToList();
        var starts = Enumerable.Range(0, 5).Select(i => new BatchedTestEffect($"start-{i}")).ToList();
        var commits = new List<(string Name, InstanceCommit Commit)>();
        for (var i = 0; i < 5; i++)
        {
            commits.Add(($"start-{i}", StartCommit(effects: [starts[i]])));
            var completion = Completion(tasks[i].Instance, tasks[i].Waiting, $"done-{i}");
            commits.Add((i == 3 ? "completion-3-stale" : $"completion-{i}",
                new InstanceCommit(completion.Instance, i == 3 ? 7 : 1, completion.AddedBookmarks, completion.RemovedBookmarkIds,
                    completion.Journal, [effects[i]])));
            commits.Add(($"timer-{i}", TimerResume(timers[i].Instance, timers[i].Waiting)));
        }
        var outcomes = commits.Select(c => Outcome(Instances.CommitAsync(c.Commit, default))).ToList();
        gate.SetResult();
        await blocker;
        var results = commits.Zip(await Task.WhenAll(outcomes), (c, o) => $"{c.Name}: {o}").ToList();

        Assert.Equal(commits.Select(c => $"{c.Name}: {(c.Name == "completion-3-stale" ? "ConcurrencyConflictException" : "ok")}"), results);
        // The stale completion left its instance, its task's bookmark and its journal as they were, and its row is not stored.
        Assert.Equal(1, (await Instances.FindAsync(tasks[3].Instance.Id, default))!.ConcurrencyVersion);
        Assert.Equal([tasks[3].Waiting.Id], (await Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: tasks[3].Instance.Id), default)).Select(b => b.Id));
        Assert.Equal(6, (await Instances.GetJournalAsync(tasks[3].Instance.Id, 0, 100, default)).TotalCount);
        Assert.False(effects[3].Applied);
        // Every other commit is stored once, with its participant row.
        foreach (var i in new[] { 0, 1, 2, 4 })
        {
            Assert.Equal(2, (await Instances.FindAsync(tasks[i].Instance.Id, default))!.ConcurrencyVersion);
            Assert.Equal(9, (await Instances.GetJournalAsync(tasks[i].Instance.Id, 0, 100, default)).TotalCount);
            Assert.True(effects[i].Applied);
        }
        foreach (var (instance, _) in timers) Assert.Equal(WorkflowStatus.Finished, (await Instances.FindAsync(instance.Id, default))!.Status);
        Assert.All(starts, e => Assert.True(e.Applied));
        Assert.Equal(["done-0", "done-1", "done-2", "done-4", "start-0", "start-1", "start-2", "start-3", "start-4"],
            await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
        // SQLite and PostgreSQL first tried the whole batch at once, then applied it again commit by commit.
        if (Harness.Options.Provider is DatabaseProvider.Sqlite or DatabaseProvider.Postgres)
            Assert.Equal(1, ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)Instances).WriterRetriedBatches);
    }

    [DatabaseFact]
    public async Task CommitAsync_LoneCommitWithBatchedParticipantWork_IsStoredOrRolledBackWhole()
    {
        var ok = new BatchedTestEffect("lone-ok");
        var okCommit = StartCommit(effects: [ok]);
        await Instances.CommitAsync(okCommit, default);
        var bad = new BatchedTestEffect("lone-bad", fail: true);
        var badCommit = StartCommit(effects: [bad]);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Instances.CommitAsync(badCommit, default));

        Assert.NotNull(await Instances.FindAsync(okCommit.Instance.Id, default));
        Assert.Null(await Instances.FindAsync(badCommit.Instance.Id, default));
        Assert.Equal(["lone-ok"], await QueryStringsAsync("SELECT \"key\" FROM test_effects ORDER BY \"key\""));
        Assert.True(ok.Applied);
        Assert.False(bad.Applied);
        Assert.Equal(Harness.Options.Provider == DatabaseProvider.Postgres, ok.SentInBatch);
    }

    private static async Task<string> Outcome(Task commit)
    {
        try { await commit; return "ok"; }
        catch (Exception ex) { return ex.GetType().Name; }
    }

    [DatabaseFact]
    public async Task DefinitionStore_HonoursEveryVersionSelectorFilterAndPage()
    {
        await Definitions.SaveAsync(
        [
            Definition("d1", 1, "Order intake", latest: false, published: true),
            Definition("d1", 2, "Order intake", latest: true, published: false),
            Definition("d2", 1, "Billing", latest: true, published: true, description: "Monthly ORDER billing"),
            Definition("d3", 1, "Zeta", latest: true, published: false),
        ], default);

        async Task<int?> Find(string id, VersionOptions v) => (await Definitions.FindAsync(id, v, default))?.Version;
        Assert.Equal(2, await Find("d1", VersionOptions.Latest));
        Assert.Equal(1, await Find("d1", VersionOptions.Published));
        Assert.Equal(2, await Find("d1", VersionOptions.LatestOrPublished));
        Assert.Null(await Find("d1", new VersionOptions(VersionSelector.LatestAndPublished)));
        Assert.Equal(1, await Find("d2", new VersionOptions(VersionSelector.LatestAndPublished)));
        Assert.Equal(2, await Find("d1", new VersionOptions(VersionSelector.Draft)));
        Assert.Equal(2, await Find("d1", VersionOptions.AllVersions));
        Assert.Equal(1, await Find("d1", new VersionOptions(VersionSelector.Specific, 1)));
        Assert.Null(await Find("d3", VersionOptions.Published));
        Assert.Null(await Find("nope", VersionOptions.Latest));

        async Task<string[]> List(DefinitionFilter f) =>
            (await Definitions.ListAsync(f, default)).Items.Select(d => $"{d.DefinitionId}:{d.Version}").ToArray();
        Assert.Equal(["d2:1", "d1:2", "d3:1"], await List(new(VersionOptions.Latest)));
        Assert.Equal(["d2:1", "d1:1"], await List(new(VersionOptions.Published)));
        Assert.Equal(["d2:1", "d1:1", "d1:2", "d3:1"], await List(new()));
        Assert.Equal(["d2:1", "d1:1", "d1:2", "d3:1"], await List(new(VersionOptions.Parse(""))));
        Assert.Equal(["d2:1", "d1:1", "d1:2", "d3:1"], await List(new(VersionOptions.LatestOrPublished)));
        Assert.Equal(["d2:1"], await List(new(new VersionOptions(VersionSelector.LatestAndPublished))));
        Assert.Equal(["d1:2", "d3:1"], await List(new(new VersionOptions(VersionSelector.Draft))));
        Assert.Equal(["d2:1", "d1:1", "d3:1"], await List(new(VersionOptions.Parse("1"))));
        Assert.Equal(["d1:2"], await List(new(Ids: ["d1:v2"])));
        Assert.Equal(["d1:1", "d1:2", "d3:1"], await List(new(DefinitionIds: ["d1", "d3"])));
        Assert.Equal(["d2:1", "d1:1", "d1:2"], await List(new(SearchTerm: "order")));
        Assert.Equal(["d3:1", "d1:2", "d1:1", "d2:1"], await List(new(Descending: true)));
        var page = await Definitions.ListAsync(new DefinitionFilter(Page: 1, PageSize: 3), default);
        Assert.Equal(4, page.TotalCount);
        Assert.Equal(["d3:1"], page.Items.Select(d => $"{d.DefinitionId}:{d.Version}"));

        var summaries = await Definitions.ListSummariesAsync(new DefinitionFilter(VersionOptions.Latest, PageSize: 2), default);
        Assert.Equal(3, summaries.TotalCount);
        Assert.Equal(new WorkflowDefinitionSummary("d2:v1", "d2", 1, "Billing", "Monthly ORDER billing", true, true, T0.AddDays(1)), summaries.Items[0]);

        var full = await Definitions.FindByIdAsync("d1:v2", default);
        Assert.True(JsonNode.DeepEquals(Definition("d1", 2, "Order intake", true, false).Json, full!.Json));
        Assert.Equal("d1", full.Graph.Root.Id);
        Assert.Equal(T0.AddDays(2), full.CreatedAt);

        // Publishing v2: the caller decides the flags of both versions, stored in one transaction.
        await Definitions.SaveAsync(
        [
            Definition("d1", 1, "Order intake", latest: false, published: false),
            Definition("d1", 2, "Order intake v2", latest: true, published: true),
        ], default);
        Assert.Equal(2, await Find("d1", VersionOptions.Published));
        Assert.Equal("Order intake v2", (await Definitions.FindByIdAsync("d1:v2", default))!.Name);
        Assert.Equal(2, await Definitions.DeleteAsync("d1", default));
        Assert.Null(await Find("d1", VersionOptions.AllVersions));
    }

    private static WorkflowDefinitionVersion Definition(string definitionId, int version, string name, bool latest, bool published, string? description = null)
    {
        var json = new JsonObject
        {
            ["id"] = definitionId, ["definitionId"] = definitionId, ["version"] = version, ["name"] = name,
            ["root"] = new JsonObject { ["type"] = "Elsa.Flowchart", ["activities"] = new JsonArray() },
        };
        return new WorkflowDefinitionVersion
        {
            Id = $"{definitionId}:v{version}", DefinitionId = definitionId, Version = version, Name = name, Description = description,
            IsLatest = latest, IsPublished = published, CreatedAt = T0.AddDays(version), Json = json, Graph = PersistenceHarness.TrivialGraph(json),
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    protected async Task ExecuteAsync(string sql)
    {
        await using var db = await Harness.ContextFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    protected async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var db = await Harness.ContextFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }
}

public sealed record TestEffect(string Key, bool Fail = false);

/// <summary>Holds the commit (and so the writer) until the task completes.</summary>
public sealed record GateEffect(Task Release);

/// <summary>
/// Written by <see cref="TestEffectParticipant"/> in the writer's batch where the provider batches (PostgreSQL), else on
/// the commit's connection; a failing one fails its commit after writing. Records what the participant saw.
/// </summary>
public sealed class BatchedTestEffect(string key, bool fail = false)
{
    public string Key { get; } = key;
    public bool Fail { get; } = fail;

    /// <summary>Its statement went in the writer's batch (<see cref="IBatchedCommitParticipant.AddTo"/>).</summary>
    public bool SentInBatch { get; set; }

    /// <summary>Its commit's statements all ran (set by the participant's follow-up; never for a failed commit).</summary>
    public bool Applied { get; set; }
}

/// <summary>
/// Writes each <see cref="TestEffect"/> on the commit's connection and transaction; a failing effect throws after writing.
/// <see cref="BatchedTestEffect"/>s ride in the writer's batch when the commit has no other effects.
/// </summary>
public sealed class TestEffectParticipant : IBatchedCommitParticipant
{
    private static readonly CommitStatement Insert = new("INSERT INTO test_effects (\"key\") VALUES (@key)", ("@key", DbType.String));

    public bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects) => !effects.Any(e => e is TestEffect or GateEffect);

    public void AddTo(CommitBatch batch, IReadOnlyList<object> effects)
    {
        foreach (var effect in effects.OfType<BatchedTestEffect>())
        {
            effect.SentInBatch = true;
            batch.Add(Insert, effect.Key, static (p, key) => p[0].Value = key,
                _ => effect.Fail ? new ConcurrencyConflictException($"Effect {effect.Key} lost a race.") : null);
            batch.OnApplied(() => effect.Applied = true);
        }
    }

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        foreach (var gate in effects.OfType<GateEffect>()) await gate.Release;
        foreach (var effect in effects.OfType<BatchedTestEffect>())
        {
            await context.ExecuteAsync(Insert, effect.Key, static (p, key) => p[0].Value = key, cancellationToken);
            if (effect.Fail) throw new ConcurrencyConflictException($"Effect {effect.Key} lost a race.");
            effect.Applied = true;
        }
        foreach (var effect in effects.OfType<TestEffect>())
        {
            await using DbCommand cmd = context.Connection.CreateCommand();
            cmd.Transaction = context.Transaction;
            cmd.CommandText = "INSERT INTO test_effects (\"key\") VALUES (@key)";
            var p = cmd.CreateParameter();
            p.ParameterName = "@key";
            p.Value = effect.Key;
            cmd.Parameters.Add(p);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            if (effect.Fail) throw new ConcurrencyConflictException($"Effect {effect.Key} lost a race.");
        }
    }
}

public sealed class SqliteWorkflowStoreTests : WorkflowStoreContract
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

public sealed class SqliteWorkflowStoreWithoutGroupCommitTests : WorkflowStoreContract
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
    protected override void Configure(DatabaseOptions options) => options.GroupCommit = false;
}

[RequiresPostgres]
public sealed class PostgresWorkflowStoreTests : WorkflowStoreContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}

[RequiresPostgres]
public sealed class PostgresWorkflowStoreWithoutGroupCommitTests : WorkflowStoreContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void Configure(DatabaseOptions options) => options.GroupCommit = false;
}

/// <summary>The store contract (group commit with its savepoints, conflicts, participants) on SQL Server: env EXIT_TEST_SQLSERVER; never run here.</summary>
[RequiresSqlServer]
public sealed class SqlServerWorkflowStoreTests : WorkflowStoreContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await SqlServerTestDatabase.CreateAsync();
}

[RequiresSqlServer]
public sealed class SqlServerWorkflowStoreWithoutGroupCommitTests : WorkflowStoreContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await SqlServerTestDatabase.CreateAsync();
    protected override void Configure(DatabaseOptions options) => options.GroupCommit = false;
}
