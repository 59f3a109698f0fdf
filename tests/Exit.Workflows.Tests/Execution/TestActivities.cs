using Exit.Workflows.Execution;

namespace Exit.Workflows.Tests.Execution;

/// <summary>Decides whether <see cref="FlakyActivity"/> throws; a test flips it to "fixed" before retrying.</summary>
internal sealed class FlakySwitch
{
    public volatile bool Broken = true;
}

/// <summary>Throws while its switch is broken, then completes.</summary>
internal sealed class FlakyActivity(FlakySwitch flaky) : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new() { TypeName = "Test.Flaky", Category = "Test", DisplayName = "Flaky" };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) =>
        flaky.Broken ? throw new InvalidOperationException("The service is down.") : ValueTask.FromResult(ActivityResult.Done);
}

/// <summary>Waits on a keyed bookmark; on resume it stages an effect (so a test can count committed resumes).</summary>
internal sealed class WaitActivity : IResumableActivity
{
    public static readonly ActivityDescriptor Descriptor = new() { TypeName = "Test.Wait", Category = "Test", DisplayName = "Wait" };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) =>
        ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(Key: "wait")));

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        context.AddEffect(new Resumed(context.WorkflowInstanceId, input.BookmarkId));
        return ValueTask.FromResult(ActivityResult.Done);
    }

    public sealed record Resumed(string InstanceId, string BookmarkId);
}
