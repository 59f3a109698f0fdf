namespace Exit.Workflows.Execution;

/// <summary>Creates ids for instances, activity instances and bookmarks (injected so tests are deterministic).</summary>
public interface IIdGenerator
{
    Guid NewGuid();

    /// <summary>A compact id: 32 hex digits.</summary>
    string NewId() => NewGuid().ToString("N");
}

/// <summary>Time-ordered version 7 GUIDs taken from the injected clock.</summary>
public sealed class SequentialIdGenerator(TimeProvider time) : IIdGenerator
{
    public Guid NewGuid() => Guid.CreateVersion7(time.GetUtcNow());
}
