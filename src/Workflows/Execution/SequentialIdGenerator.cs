using Exit.Workflows.Definitions;

namespace Exit.Workflows.Execution;

/// <summary>
/// The runtime's default ids for instances, activity instances and bookmarks: time-ordered version 7 GUIDs
/// (32 hex digits) taken from the injected clock, so they sort by creation and index well.
/// </summary>
public sealed class SequentialIdGenerator(TimeProvider time) : IIdGenerator
{
    public string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
