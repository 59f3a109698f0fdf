using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;
using Exit.Workflows.State;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Tests.HumanTasks;

public sealed class HumanTaskServiceTests : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private HumanTaskService Service(ParticipantRuntime runtime) =>
        new(_db.Contexts, runtime, new KeyBookmarkLocator(), _db.Clock);

    [Fact]
    public async Task CompleteAsync_OpenTask_ResumesBookmarkWithOutcomeAndCompletesRow()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var runtime = new ParticipantRuntime(_db);

        await Service(runtime).CompleteAsync("t1", "Reject", JsonNode.Parse("""{"why":"no"}"""), "anna", default);

        // A HumanTask names its bookmark after its task: resumed without looking the bookmark up.
        var request = Assert.Single(runtime.Requests);
        Assert.Equal("t1", request.BookmarkId);
        Assert.Equal("Reject", request.Input!["outcome"]!.GetValue<string>());
        Assert.Equal("no", request.Input!["data"]!["why"]!.GetValue<string>());
        var task = await _db.Queries.GetAsync("t1", default);
        Assert.Equal((HumanTaskStatus.Completed, "Reject", "anna"), (task!.Status, task.Outcome, task.CompletedBy));
    }

    [Fact]
    public async Task CompleteAsync_BookmarkNamedByTheRuntime_FallsBackToTheLocatorAndCompletes()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var runtime = new ParticipantRuntime(_db) { KnownBookmarks = ["bm-t1"] };

        await Service(runtime).CompleteAsync("t1", "Approve", null, "anna", default);

        Assert.Equal(["t1", "bm-t1"], runtime.Requests.Select(r => r.BookmarkId));
        Assert.Equal(HumanTaskStatus.Completed, (await _db.Queries.GetAsync("t1", default))!.Status);
    }

    [Fact]
    public async Task CompleteAsync_WorkflowNotWaiting_ConflictsAndTaskStaysOpen()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var runtime = new ParticipantRuntime(_db) { KnownBookmarks = [] };

        await Assert.ThrowsAsync<TaskConflictException>(() => Service(runtime).CompleteAsync("t1", "Approve", null, "anna", default));

        Assert.Equal(["t1", "bm-t1"], runtime.Requests.Select(r => r.BookmarkId));
        Assert.Equal(HumanTaskStatus.Open, (await _db.Queries.GetAsync("t1", default))!.Status);
    }

    [Fact]
    public async Task CompleteAsync_WorkflowFaulted_ConflictsSayingSoAndTaskStaysOpen()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var runtime = new ParticipantRuntime(_db) { Faulted = true };

        var e = await Assert.ThrowsAsync<TaskConflictException>(() => Service(runtime).CompleteAsync("t1", "Approve", null, "anna", default));

        Assert.Contains("faulted", e.Message);
        var task = await _db.Queries.GetAsync("t1", default);
        Assert.Equal((HumanTaskStatus.Open, null), (task!.Status, task.Outcome));
    }

    [Fact]
    public async Task CompleteAsync_OutcomeNotAllowed_ThrowsValidationListingAllowedAndDoesNotResume()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var runtime = new ParticipantRuntime(_db);

        var e = await Assert.ThrowsAsync<TaskValidationException>(() => Service(runtime).CompleteAsync("t1", "Maybe", null, "anna", default));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("outcome", problem.Field);
        Assert.Contains("Approve, Reject", problem.Message);
        Assert.Empty(runtime.Requests);
    }

    [Fact]
    public async Task CompleteAsync_UnknownTask_ThrowsNotFound() =>
        await Assert.ThrowsAsync<TaskNotFoundException>(() => Service(new ParticipantRuntime(_db)).CompleteAsync("nope", "Approve", null, null, default));

    [Fact]
    public async Task CompleteAsync_Twice_SecondConflictsAndFirstOutcomeStays()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var service = Service(new ParticipantRuntime(_db) { TrackBookmarks = true });

        await service.CompleteAsync("t1", "Approve", null, "anna", default);
        await Assert.ThrowsAsync<TaskConflictException>(() => service.CompleteAsync("t1", "Reject", null, "bo", default));

        Assert.Equal("Approve", (await _db.Queries.GetAsync("t1", default))!.Outcome);
    }

    [Theory]
    [InlineData(false)] // both reach the participant: the conditional update decides
    [InlineData(true)]  // the runtime itself refuses the second resume of the bookmark (null result)
    public async Task CompleteAsync_TwoConcurrentCompletions_ExactlyOneSucceeds(bool runtimeTracksBookmarks)
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        using var bothLoaded = new Barrier(2);
        var runtime = new ParticipantRuntime(_db)
        {
            TrackBookmarks = runtimeTracksBookmarks,
            // Both completions have seen the task open before either commits.
            BeforeCommit = () => Task.Run(() => bothLoaded.SignalAndWait(TimeSpan.FromSeconds(10))),
        };
        var service = Service(runtime);

        var results = await Task.WhenAll(
            Attempt(() => service.CompleteAsync("t1", "Approve", JsonNode.Parse("""{"by":"anna"}"""), "anna", default)),
            Attempt(() => service.CompleteAsync("t1", "Reject", JsonNode.Parse("""{"by":"bo"}"""), "bo", default)));

        Assert.Single(results, r => r is null);
        Assert.IsType<TaskConflictException>(Assert.Single(results, r => r is not null));
        var winner = results[0] is null ? ("Approve", "anna") : ("Reject", "bo");
        var task = await _db.Queries.GetAsync("t1", default);
        Assert.Equal((HumanTaskStatus.Completed, winner.Item1, winner.Item2), (task!.Status, task.Outcome, task.CompletedBy));
        Assert.Equal(winner.Item2, task.Data!["by"]!.GetValue<string>());
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task ReassignAsync_OpenTask_ChangesAssigneeAndRecordsHistory()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1", assignee: "anna"));
        var service = Service(new ParticipantRuntime(_db));

        await service.ReassignAsync("t1", "bo", "lead", default);
        _db.Clock.Advance(TimeSpan.FromMinutes(5));
        await service.ReassignAsync("t1", "carl", "bo", default);

        var task = await _db.Queries.GetAsync("t1", default);
        Assert.Equal("carl", task!.Assignee);
        Assert.Equal(
            [new TaskAssignmentView("anna", "bo", _db.Clock.GetUtcNow().AddMinutes(-5), "lead"), new TaskAssignmentView("bo", "carl", _db.Clock.GetUtcNow(), "bo")],
            task.Assignments);
    }

    [Fact]
    public async Task ReassignAsync_CompletedTask_Conflicts()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"), new TaskCompleted("t1", "Approve", null, null, DateTimeOffset.UnixEpoch));
        await Assert.ThrowsAsync<TaskConflictException>(() => Service(new ParticipantRuntime(_db)).ReassignAsync("t1", "bo", null, default));
    }

    [Fact]
    public async Task ReassignAsync_BlankAssignee_Validation()
    {
        var e = await Assert.ThrowsAsync<TaskValidationException>(() => Service(new ParticipantRuntime(_db)).ReassignAsync("t1", " ", null, default));
        Assert.Equal("assignee", Assert.Single(e.Problems).Field);
    }

    [Fact]
    public async Task ReassignAsync_StaleVersion_Conflicts()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        await using var stale = _db.Contexts.Create();
        var task = await stale.Tasks.AsTracking().SingleAsync(t => t.Id == "t1");

        await Service(new ParticipantRuntime(_db)).ReassignAsync("t1", "bo", null, default);

        task.Assignee = "carl";
        task.Version++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
    }
}

/// <summary>
/// A runtime whose resume commits the given effects through the real participant in a real SQLite transaction.
/// With <see cref="TrackBookmarks"/> a bookmark can be resumed once (later resumes get null, as the real runtime).
/// </summary>
public sealed class ParticipantRuntime(TaskDatabase database) : IWorkflowRuntime
{
    private readonly ConcurrentDictionary<string, bool> _resumed = new();
    public bool TrackBookmarks { get; init; }
    public Func<Task>? BeforeCommit { get; init; }
    public ConcurrentQueue<ResumeBookmarkRequest> Requests { get; } = new();

    /// <summary>When set, only these bookmark ids exist; others answer null (gone).</summary>
    public IReadOnlyCollection<string>? KnownBookmarks { get; init; }

    /// <summary>As the real runtime on a faulted instance: nothing is resumed or committed, the bookmark is still there.</summary>
    public bool Faulted { get; init; }

    public async Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct)
    {
        Requests.Enqueue(request);
        if (KnownBookmarks is not null && !KnownBookmarks.Contains(request.BookmarkId)) return null;
        if (Faulted)
        {
            var waiting = new Bookmark
            {
                Id = request.BookmarkId, InstanceId = "instance-1", ActivityInstanceId = "a1", ActivityNodeId = "n1", Kind = HumanTask.TypeName,
            };
            return new WorkflowRunResult("instance-1", WorkflowStatus.Finished, WorkflowSubStatus.Faulted, [waiting], []);
        }
        if (BeforeCommit is not null) await BeforeCommit();
        if (TrackBookmarks && !_resumed.TryAdd(request.BookmarkId, true)) return null;
        await database.CommitAsync(request.Effects?.ToArray() ?? []);
        return new WorkflowRunResult("instance-1", WorkflowStatus.Running, WorkflowSubStatus.Suspended, [], []);
    }

    public Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct) => throw new NotSupportedException();
    public Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
    public Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
}

/// <summary>Bookmark id = "bm-" + key, for every task.</summary>
public sealed class KeyBookmarkLocator : ITaskBookmarkLocator
{
    public Task<string?> FindBookmarkIdAsync(string instanceId, string bookmarkKey, CancellationToken ct) =>
        Task.FromResult<string?>("bm-" + bookmarkKey);
}
