namespace Exit.Workflows.Persistence;

/// <summary>
/// An <see cref="IWorkflowInstanceStore"/> that wraps another and reads and writes the same data through it (to record,
/// count or log). Lets the composition see which store lies underneath, e.g. to read the same database by other means.
/// </summary>
public interface IInstanceStoreDecorator
{
    IWorkflowInstanceStore Inner { get; }
}
