namespace Exit.Activities.HumanTasks;

/// <summary>Makes task ids. Injected so tests and the runtime decide, not <c>Guid.NewGuid()</c> at the call site.</summary>
public interface ITaskIdGenerator
{
    string NewId();
}

/// <summary>Version 7 GUIDs (time-ordered, so ids sort roughly by creation) in the runtime's 22-character form: a task id
/// is stored in the task row, its bookmark and the workflow's state.</summary>
public sealed class GuidV7TaskIdGenerator(TimeProvider clock) : ITaskIdGenerator
{
    public string NewId() => Exit.Workflows.Execution.CompactId.New(clock.GetUtcNow());
}
