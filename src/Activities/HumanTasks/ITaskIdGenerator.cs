namespace Exit.Activities.HumanTasks;

/// <summary>Makes task ids. Injected so tests and the runtime decide, not <c>Guid.NewGuid()</c> at the call site.</summary>
public interface ITaskIdGenerator
{
    string NewId();
}

/// <summary>Version 7 GUIDs (time-ordered, so ids sort roughly by creation), as 32 hex digits.</summary>
public sealed class GuidV7TaskIdGenerator(TimeProvider clock) : ITaskIdGenerator
{
    public string NewId() => Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
}
