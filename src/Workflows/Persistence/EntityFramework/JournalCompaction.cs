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
/// instance (only written when that row is in the same commit, so its value is known to be equal).</item>
/// <item><c>node_id</c> = "": the parent activity instance's node id + ":" + <c>activity_id</c>, Elsa's node path (only
/// written when an earlier row of the same commit is the parent's).</item>
/// </list>
/// </summary>
internal static class JournalCompaction
{
    /// <summary>Not JSON, so it cannot be mistaken for a stored state.</summary>
    public const string SameState = "=";

    public const string DerivedNodeId = "";

    /// <summary>
    /// <see cref="SameState"/> when the nearest earlier row (by sequence) of this activity instance is in the same commit
    /// and has an equal state; sequences grow across commits, so no row of another commit can sit between the two.
    /// </summary>
    public static string? StateText(IReadOnlyList<JournalRecord> records, int index)
    {
        var record = records[index];
        if (record.ActivityState is null) return null;
        JournalRecord? previous = null;
        foreach (var r in records)
        {
            if (r.ActivityInstanceId == record.ActivityInstanceId && r.Sequence < record.Sequence && (previous is null || r.Sequence > previous.Sequence))
                previous = r;
        }
        return previous is not null && JsonNode.DeepEquals(previous.ActivityState, record.ActivityState)
            ? SameState
            : InstanceStateSerializer.ToJson(record.ActivityState);
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

    private static bool IsChildPath(string nodeId, string parentNodeId, string activityId) =>
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
        var records = new List<JournalRecord>(rows.Count);
        foreach (var r in rows)
        {
            var nodeId = r.NodeId;
            if (nodeId.Length == 0 && r.ParentActivityInstanceId is { } parent && nodeIds.TryGetValue(parent, out var parentNodeId))
                nodeId = $"{parentNodeId}:{r.ActivityId}";
            nodeIds.TryAdd(r.ActivityInstanceId, nodeId);

            var stateText = r.ActivityState == SameState ? states.GetValueOrDefault(r.ActivityInstanceId) : r.ActivityState;
            states[r.ActivityInstanceId] = stateText;

            records.Add(new JournalRecord(
                r.InstanceId, r.Sequence, r.Timestamp, r.ActivityInstanceId, r.ParentActivityInstanceId, r.ActivityId, r.ActivityType,
                r.ActivityTypeVersion, r.ActivityName, nodeId, r.EventName, r.Message,
                InstanceStateSerializer.ParseObject(stateText), InstanceStateSerializer.ParseObject(r.Payload)));
        }
        return records;
    }
}
