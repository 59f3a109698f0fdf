using System.Text.Json.Nodes;

namespace Exit.Workflows.Execution;

/// <summary>What an activity did: completed with outcomes (ports to follow), or suspended on bookmarks.</summary>
public abstract record ActivityResult
{
    public static readonly ActivityResult Done = new Completed(["Done"]);

    public static ActivityResult Complete(params string[] outcomes) =>
        new Completed(outcomes.Length == 0 ? ["Done"] : outcomes);

    public static ActivityResult Suspend(params BookmarkRequest[] bookmarks) => new Suspended(bookmarks);

    public sealed record Completed(IReadOnlyList<string> Outcomes) : ActivityResult;

    public sealed record Suspended(IReadOnlyList<BookmarkRequest> Bookmarks) : ActivityResult;
}

/// <summary>
/// A bookmark an activity asks for. <paramref name="Key"/> is matched by stimuli (event name, task id);
/// <paramref name="DueAt"/> makes it a timer that the scheduler resumes at that instant. <paramref name="Id"/> lets an
/// activity name the bookmark with an id that is already unique and that its callers hold (a task's id), so they can
/// resume it without looking it up; null lets the runtime make one.
/// </summary>
public sealed record BookmarkRequest(string? Key = null, DateTimeOffset? DueAt = null, JsonObject? Payload = null, string? Id = null);

/// <summary>What a resume carries to the waiting activity: the bookmark and the stimulus's input.</summary>
public sealed record ResumeInput(string BookmarkId, string? Key, JsonObject? Payload, JsonNode? Input);
