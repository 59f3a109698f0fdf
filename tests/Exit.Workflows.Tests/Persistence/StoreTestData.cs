using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>Builders for instances, bookmarks, journal records and commits used by the store tests and measurements.</summary>
public static class StoreTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static long _sequence = DateTime.UtcNow.Ticks;

    /// <summary>
    /// Time-ordered ids (as an engine id generator should make them): new rows append to the right edge of every
    /// id-keyed B-tree, so a batch dirties a few pages instead of one page per index per row.
    /// </summary>
    public static string NewId() => Interlocked.Increment(ref _sequence).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Random ids, for measuring the worst case.</summary>
    public static string RandomId() => Guid.NewGuid().ToString("N")[..16];

    public static WorkflowInstance Instance(string? id = null, DateTimeOffset? createdAt = null, string definitionId = "order-intake") => new()
    {
        Id = id ?? NewId(),
        DefinitionId = definitionId,
        DefinitionVersionId = definitionId + ":v1",
        DefinitionVersion = 1,
        CorrelationId = "case-" + (id ?? "x"),
        Name = "Order intake",
        Status = WorkflowStatus.Running,
        SubStatus = WorkflowSubStatus.Suspended,
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
        Variables = new() { ["v1"] = JsonValue.Create("hello"), ["count"] = JsonValue.Create(3) },
        ActivityInstances =
        [
            new ActivityInstance
            {
                Id = "ai-root", NodeId = "Workflow1:Flowchart1", ActivityId = "Flowchart1", ActivityType = "Elsa.Flowchart",
                Status = ActivityStatus.Running, StartedAt = createdAt ?? T0,
                Tokens = [new FlowToken { FromActivityId = "Start1", Outcome = "Done", ToActivityId = "Wait1", Consumed = true }],
            },
            new ActivityInstance
            {
                Id = "ai-wait", NodeId = "Workflow1:Flowchart1:Wait1", ActivityId = "Wait1", ActivityType = "Elsa.Event", ParentId = "ai-root",
                Status = ActivityStatus.Running, StartedAt = createdAt ?? T0,
            },
        ],
        NextJournalSequence = 6,
    };

    public static Bookmark Bookmark(string instanceId, string? id = null, string kind = "Elsa.Event", string? key = "go",
        DateTimeOffset? dueAt = null, DateTimeOffset? createdAt = null) => new()
    {
        Id = id ?? NewId(),
        InstanceId = instanceId,
        ActivityInstanceId = "ai-wait",
        ActivityNodeId = "Workflow1:Flowchart1:Wait1",
        Kind = kind,
        Key = key,
        CorrelationId = "case-" + instanceId,
        DueAt = dueAt,
        CreatedAt = createdAt ?? T0,
    };

    public static JournalRecord Entry(string instanceId, long sequence, string eventName = JournalEvents.Completed) => new(
        instanceId, sequence, T0.AddMilliseconds(sequence), "ai-" + sequence, "ai-root", "Activity" + sequence, "Elsa.WriteLine", 1,
        null, "Workflow1:Flowchart1:Activity" + sequence, eventName, null, null, null);

    public static IReadOnlyList<JournalRecord> JournalRecords(string instanceId, int count, long first = 0) =>
        Enumerable.Range(0, count).Select(i => Entry(instanceId, first + i)).ToList();

    /// <summary>A new instance waiting on one bookmark with six journal records: the start of a typical workflow.</summary>
    public static InstanceCommit StartCommit(WorkflowInstance? instance = null, IReadOnlyList<object>? effects = null)
    {
        instance ??= Instance();
        return new InstanceCommit(instance, null, [Bookmark(instance.Id)], [], JournalRecords(instance.Id, 6), effects ?? []);
    }
}
