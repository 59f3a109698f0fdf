using System.Text.Json.Nodes;

namespace Exit.Workflows.State;

/// <summary>
/// A live execution of one activity node. Only instances that are not yet finished are kept in the
/// persisted state; finished ones live on in the journal. Containers keep their flowchart tokens here.
/// </summary>
public sealed class ActivityInstance
{
    public required string Id { get; init; }
    public required string NodeId { get; init; }
    public required string ActivityId { get; init; }
    public required string ActivityType { get; init; }
    public string? ParentId { get; init; }
    public ActivityStatus Status { get; set; } = ActivityStatus.Pending;
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Activity-owned state that must survive suspension (e.g. a task id).</summary>
    public JsonObject? Properties { get; set; }

    /// <summary>Evaluated inputs keyed by PascalCase name, as Elsa records them.</summary>
    public JsonObject? ActivityState { get; set; }

    /// <summary>
    /// The state this activity instance's latest journal row recorded, when it is known to be that row's (recorded in this
    /// burst, or carried over from the stored document's <c>sj</c> flag, which says the stored state equals it); null when
    /// not known. Lets a Resumed row in a later commit say "same state as before" (<see cref="JournalRecord.StateAsJournaledBefore"/>).
    /// Not copied by code that rebuilds an instance (an alteration's migration): unknown is always safe.
    /// </summary>
    internal JsonObject? LastJournaledState { get; set; }

    /// <summary>
    /// Every key of <see cref="ActivityState"/> is a declared input of the activity (set when it suspends), so a resume, which
    /// evaluates every declared input into a fresh state, rebuilds it whole. Only such a state may be left out of the stored
    /// document while the activity waits.
    /// </summary>
    internal bool StateRebuiltOnResume { get; set; }

    /// <summary>
    /// Set when the stored document left the state out (<see cref="ActivityState"/> is then null until a resume rebuilds
    /// it): a hash of the state, which equals the one this activity instance's latest journal row recorded. A journal row
    /// made before the rebuild (a cancellation) records "same state as before"; the rebuilt state is compared with the hash.
    /// </summary>
    internal string? JournaledStateHash { get; set; }

    /// <summary>Tokens of a flowchart instance; null for other activities.</summary>
    public List<FlowToken>? Tokens { get; set; }
}
