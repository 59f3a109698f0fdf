using Exit.Workflows.Definitions;

namespace Exit.Workflows.Execution;

/// <summary>
/// The runtime's default ids for instances, activity instances and bookmarks: time-ordered version 7 GUIDs taken from
/// the injected clock, so they sort by creation and index well, in <see cref="CompactId"/>'s 22 characters.
/// </summary>
public sealed class SequentialIdGenerator(TimeProvider time) : IIdGenerator
{
    public string NewId() => CompactId.New(time.GetUtcNow());
}
