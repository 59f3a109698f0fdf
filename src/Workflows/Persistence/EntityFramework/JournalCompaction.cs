using System.Text.Json.Nodes;
using Exit.Workflows.State;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// What a journal row leaves out because an earlier row of the same instance already says it, and how a read puts it
/// back. The journal is the largest part of what an instance stores: an activity's evaluated inputs were written again
/// for every event of the burst (Started and Suspended, Resumed and Completed), and every node id repeats its parent's
/// path. A row written before this existed has neither marker and reads as it was stored.
/// <list type="bullet">
/// <item><c>activity_state</c> = <see cref="SameState"/>: the same state as the nearest earlier row of this activity
/// instance. Written when that row is in the same commit and its value is equal, or when it is in an earlier commit and
/// the engine vouches for the equality (<see cref="JournalRecord.StateAsJournaledBefore"/>: a Resumed row whose inputs
/// evaluate as they did when the activity was suspended). Only whole instances are deleted from the journal, so the
/// earlier row is always there to read it from.</item>
/// <item><c>node_id</c> = "": the parent activity instance's node id + ":" + <c>activity_id</c>, Elsa's node path (only
/// written when an earlier row of the same commit is the parent's).</item>
/// <item><c>activity_type</c> = <see cref="SameActivity"/>: parent, type, type version, name and node id are those of the
/// nearest earlier row of this activity instance, which is in the same commit and says the same; the row then stores
/// NULL, "=", 0, NULL and "" for them (a Suspended after its Started, a Completed after its Resumed). The activity id is
/// always stored, so a query by activity id and event still finds every row.</item>
/// <item><c>timestamp</c> below <see cref="StepLimit"/>: ticks after the previous row's timestamp (the rows of a burst are
/// microseconds apart, a step takes 1–3 bytes in a SQLite record instead of 8). Only a row whose previous row (by sequence)
/// is in the same commit is written so; the first row of a commit keeps its whole instant, which is always above the limit.</item>
/// </list>
/// </summary>
internal static class JournalCompaction
{
    /// <summary>Not JSON, so it cannot be mistaken for a stored state.</summary>
    public const string SameState = "=";

    public const string DerivedNodeId = "";

    /// <summary>Not an activity type (types are validated names such as <c>Elsa.Delay</c>), so it cannot be mistaken for one.</summary>
    public const string SameActivity = "=";

    /// <summary>
    /// 100 years of ticks. A journal timestamp is an instant from the runtime's clock, after year 100 and so never below
    /// this; a stored value below it is a step from the previous row.
    /// </summary>
    public const long StepLimit = TimeSpan.TicksPerDay * 365 * 100;

    /// <summary>
    /// The value stored for the row's timestamp: the step from the previous row when that row is the one before it in
    /// this commit and the step is non-negative and below <see cref="StepLimit"/>, else the whole instant in UTC ticks.
    /// </summary>
    public static long TimestampValue(IReadOnlyList<JournalRecord> records, int index)
    {
        var ticks = records[index].Timestamp.UtcTicks;
        if (index == 0 || records[index - 1].Sequence != records[index].Sequence - 1) return ticks;
        var step = ticks - records[index - 1].Timestamp.UtcTicks;
        return step is >= 0 and < StepLimit ? step : ticks;
    }

    /// <summary>
    /// True when the nearest earlier row (by sequence) of this activity instance is in the same commit and names the same
    /// parent, activity, type, version, name and node id, so the row may store <see cref="SameActivity"/> instead.
    /// </summary>
    public static bool IsSameActivity(IReadOnlyList<JournalRecord> records, int index)
    {
        var record = records[index];
        if (record.ActivityType == SameActivity) return false;
        var previous = PreviousOfActivity(records, record);
        return previous is not null
               && previous.ParentActivityInstanceId == record.ParentActivityInstanceId
               && previous.ActivityId == record.ActivityId
               && previous.ActivityType == record.ActivityType
               && previous.ActivityTypeVersion == record.ActivityTypeVersion
               && previous.ActivityName == record.ActivityName
               && previous.NodeId == record.NodeId;
    }

    /// <summary>
    /// <see cref="SameState"/> when the nearest earlier row (by sequence) of this activity instance is in the same commit
    /// and has an equal state; sequences grow across commits, so no row of another commit can sit between the two.
    /// </summary>
    public static string? StateText(IReadOnlyList<JournalRecord> records, int index)
    {
        var record = records[index];
        // No state but vouched for: the activity's state was left out of the stored document (ActivityInstance.JournaledStateHash)
        // and is still the earlier row's.
        if (record.ActivityState is null) return record.StateAsJournaledBefore ? SameState : null;
        var previous = PreviousOfActivity(records, record);
        var same = previous switch
        {
            null => record.StateAsJournaledBefore,
            // The earlier row of this commit had no state but was vouched for (a resume that left the inputs unevaluated,
            // ResumedInputs), so it is the state before this commit, as this row's flag says of its own.
            { ActivityState: null, StateAsJournaledBefore: true } => record.StateAsJournaledBefore,
            _ => JsonNode.DeepEquals(previous.ActivityState, record.ActivityState),
        };
        return same ? SameState : InstanceStateSerializer.ToJson(record.ActivityState);
    }

    /// <summary>The nearest earlier record (by sequence) of <paramref name="record"/>'s activity instance in this commit, if any.</summary>
    private static JournalRecord? PreviousOfActivity(IReadOnlyList<JournalRecord> records, JournalRecord record)
    {
        JournalRecord? previous = null;
        foreach (var r in records)
        {
            if (r.ActivityInstanceId == record.ActivityInstanceId && r.Sequence < record.Sequence && (previous is null || r.Sequence > previous.Sequence))
                previous = r;
        }
        return previous;
    }

    /// <summary>
    /// "" when the node id is its parent's path plus the activity id and an earlier row of this commit is the parent's,
    /// so a read, which goes from the first row, has always met the parent before.
    /// </summary>
    public static string NodeIdText(IReadOnlyList<JournalRecord> records, int index)
    {
        var record = records[index];
        if (record.ParentActivityInstanceId is not { } parentId) return record.NodeId;
        foreach (var r in records)
        {
            if (r.ActivityInstanceId == parentId && r.Sequence < record.Sequence)
                return IsChildPath(record.NodeId, r.NodeId, record.ActivityId) ? DerivedNodeId : record.NodeId;
        }
        return record.NodeId;
    }

    /// <summary>True when <paramref name="nodeId"/> is Elsa's node path of a child: its parent's path, ":" and its activity id.</summary>
    internal static bool IsChildPath(string nodeId, string parentNodeId, string activityId) =>
        nodeId.Length == parentNodeId.Length + 1 + activityId.Length
        && nodeId.StartsWith(parentNodeId, StringComparison.Ordinal)
        && nodeId[parentNodeId.Length] == ':'
        && nodeId.EndsWith(activityId, StringComparison.Ordinal);

    /// <summary>
    /// Turns stored rows (one instance, in sequence order, from its first row) into records, resolving both markers from
    /// the rows before. A marker whose source is missing (never written so) leaves the state null / the node id as stored.
    /// </summary>
    public static List<JournalRecord> Expand(IReadOnlyList<JournalRow> rows)
    {
        var nodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var states = new Dictionary<string, string?>(StringComparer.Ordinal);
        var activities = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
        var records = new List<JournalRecord>(rows.Count);
        long? previousTicks = null;
        foreach (var r in rows)
        {
            var ticks = r.Timestamp.UtcTicks;
            if (ticks < StepLimit && previousTicks is { } before) ticks = before + ticks;
            previousTicks = ticks;
            var timestamp = new DateTimeOffset(ticks, TimeSpan.Zero);
            var stateText = r.ActivityState == SameState ? states.GetValueOrDefault(r.ActivityInstanceId) : r.ActivityState;
            states[r.ActivityInstanceId] = stateText;
            var state = InstanceStateSerializer.ParseObject(stateText);
            var payload = InstanceStateSerializer.ParseObject(r.Payload);

            JournalRecord record;
            if (r.ActivityType == SameActivity && activities.TryGetValue(r.ActivityInstanceId, out var same))
            {
                record = same with
                {
                    Sequence = r.Sequence, Timestamp = timestamp, EventName = r.EventName, Message = r.Message,
                    ActivityState = state, Payload = payload,
                };
            }
            else
            {
                var nodeId = r.NodeId;
                if (nodeId.Length == 0 && r.ParentActivityInstanceId is { } parent && nodeIds.TryGetValue(parent, out var parentNodeId))
                    nodeId = $"{parentNodeId}:{r.ActivityId}";
                nodeIds.TryAdd(r.ActivityInstanceId, nodeId);
                record = new JournalRecord(
                    r.InstanceId, r.Sequence, timestamp, r.ActivityInstanceId, r.ParentActivityInstanceId, r.ActivityId, r.ActivityType,
                    r.ActivityTypeVersion, r.ActivityName, nodeId, r.EventName, r.Message, state, payload);
            }
            activities[r.ActivityInstanceId] = record;
            records.Add(record);
        }
        return records;
    }
}
