namespace Exit.Workflows.Execution;

/// <summary>
/// Behaviour of an activity type. Implementations are stateless services resolved from DI; everything
/// that must survive suspension goes into the context's <see cref="IActivityExecutionContext.Properties"/>.
/// Throwing faults the activity (and, by default, the instance) with an incident.
/// </summary>
public interface IActivity
{
    ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context);
}

/// <summary>An activity that waits on bookmarks and does work when one is resumed.</summary>
public interface IResumableActivity : IActivity
{
    ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input);
}
