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

/// <summary>Records the inputs a <see cref="NoteActivity"/> read on resume.</summary>
internal sealed class NoteReads
{
    public List<string?> Titles { get; } = [];
}

/// <summary>
/// Waits with two declared inputs (a title and tags); resumed with the input "read" it reads its title (into
/// <see cref="NoteReads"/>), otherwise it reads no input.
/// </summary>
internal sealed class NoteActivity(NoteReads reads) : IResumableActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = "Test.Note", Category = "Test", DisplayName = "Note",
        Inputs =
        [
            new() { Name = "Title", ClrType = typeof(string), TypeName = "String" },
            new() { Name = "Tags", ClrType = typeof(string[]), TypeName = "String[]", DefaultValue = new[] { "none" } },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) =>
        ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(Key: "note")));

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        if (input.Input is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) && s == "read")
            reads.Titles.Add(context.GetInput<string>("Title"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
