using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Tests.HumanTasks;

public sealed class TaskCommitParticipantTests : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<TaskRecord> LoadAsync(string id)
    {
        await using var db = _db.Contexts.Create();
        return await db.Tasks.SingleAsync(t => t.Id == id);
    }

    [Fact]
    public async Task ApplyAsync_TaskCreated_InsertsOpenTask()
    {
        var due = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1));
        await _db.CommitAsync(TaskDatabase.Created("t1", due));

        var task = await LoadAsync("t1");
        Assert.Equal(HumanTaskStatus.Open, task.Status);
        Assert.Equal(due, task.DueAt);
        Assert.Equal(["Approve", "Reject"], Json.Strings(task.AllowedOutcomesJson));
        Assert.Equal("""{"type":"object"}""", task.FormSchemaJson);
        Assert.Equal(1, task.Version);
    }

    [Fact]
    public async Task ApplyAsync_RolledBackCommit_LeavesNoTask()
    {
        await using (var connection = _db.Open())
        await using (var tx = connection.BeginTransaction())
        {
            await _db.Participant.ApplyAsync(new CommitContext(connection, tx, DatabaseProvider.Sqlite), [TaskDatabase.Created("t1")], default);
            await tx.RollbackAsync();
        }

        await using var db = _db.Contexts.Create();
        Assert.False(await db.Tasks.AnyAsync());
    }

    [Fact]
    public async Task ApplyAsync_CompletedTwice_SecondThrowsConflictAndFirstOutcomeStays()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"));
        var at = new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);
        await _db.CommitAsync(new TaskCompleted("t1", "Approve", JsonNode.Parse("""{"n":1}"""), "anna", at));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _db.CommitAsync(new TaskCompleted("t1", "Reject", JsonNode.Parse("""{"n":2}"""), "bo", at.AddMinutes(1))));

        var task = await LoadAsync("t1");
        Assert.Equal((HumanTaskStatus.Completed, "Approve", """{"n":1}""", "anna", at), (task.Status, task.Outcome, task.DataJson, task.CompletedBy, task.CompletedAt));
        Assert.Equal(2, task.Version);
    }

    [Fact]
    public async Task ApplyAsync_CompletingMissingTask_Throws() =>
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _db.CommitAsync(new TaskCompleted("nope", "Approve", null, null, DateTimeOffset.UnixEpoch)));

    [Fact]
    public async Task ApplyAsync_BookmarksDiscarded_CancelsOnlyOpenTasksOfThoseBookmarks()
    {
        await _db.CommitAsync(
            TaskDatabase.Created("t1"), TaskDatabase.Created("t2"), TaskDatabase.Created("t3"),
            TaskDatabase.Created("other", instanceId: "instance-2"));
        await _db.CommitAsync(new TaskCompleted("t2", "Approve", null, "anna", DateTimeOffset.UnixEpoch));

        await _db.CommitAsync(new BookmarksDiscarded("instance-1", [], ["t1", "t2"]), new BookmarksDiscarded("instance-1", [], ["other"]));

        Assert.Equal(HumanTaskStatus.Cancelled, (await LoadAsync("t1")).Status);
        Assert.Equal(_db.Clock.GetUtcNow(), (await LoadAsync("t1")).CancelledAt);
        Assert.Equal(HumanTaskStatus.Completed, (await LoadAsync("t2")).Status);
        Assert.Equal(HumanTaskStatus.Open, (await LoadAsync("t3")).Status);
        Assert.Equal(HumanTaskStatus.Open, (await LoadAsync("other")).Status);
    }

    [Fact]
    public async Task ApplyAsync_CreatedAndDiscardedInOneCommit_EndsCancelled()
    {
        await _db.CommitAsync(TaskDatabase.Created("t1"), new BookmarksDiscarded("instance-1", [], ["t1"]));
        Assert.Equal(HumanTaskStatus.Cancelled, (await LoadAsync("t1")).Status);
    }

    [Fact]
    public async Task ApplyAsync_UnrelatedEffects_DoesNothing()
    {
        await using var connection = _db.Open();
        await using var tx = connection.BeginTransaction();
        await _db.Participant.ApplyAsync(new CommitContext(connection, tx, DatabaseProvider.Sqlite), ["something else"], default);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task ApplyAsync_InsideSavepoint_RollsBackWithTheSavepointOnly()
    {
        await using var connection = _db.Open();
        await using var tx = connection.BeginTransaction();
        var commit = new CommitContext(connection, tx, DatabaseProvider.Sqlite);
        await _db.Participant.ApplyAsync(commit, [TaskDatabase.Created("kept")], default);
        tx.Save("burst2");
        await _db.Participant.ApplyAsync(commit, [TaskDatabase.Created("dropped")], default);
        tx.Rollback("burst2");
        await tx.CommitAsync();

        await using var db = _db.Contexts.Create();
        Assert.Equal(["kept"], await db.Tasks.Select(t => t.Id).ToListAsync());
    }
}
