using Exit.Activities.HumanTasks;

namespace Exit.Host.Features.Tasks;

/// <summary>
/// What the task API's access check hands to the completion of the same request: the task row it read (so the
/// completion does not read it again) and the effects to commit with it (the audit entry). Kept on the request, so a
/// completion from anywhere else (the web page) runs as before.
/// </summary>
public static class CompletionHandOff
{
    private static readonly object Key = new();

    public sealed record Prepared(TaskForCompletion Task, IReadOnlyList<object> AlsoCommit);

    public static void Set(HttpContext context, Prepared prepared) => context.Items[Key] = prepared;

    public static Prepared? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as Prepared : null;
}
