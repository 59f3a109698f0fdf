using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.Data.Sqlite;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>A SQLite file with the task schema migrated; deleted on dispose.</summary>
public sealed class TaskDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"exit-tasks-{Guid.NewGuid():N}.db");
    public string ConnectionString => $"Data Source={Path};Default Timeout=30";
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    public TaskDbContextFactory Contexts { get; }
    public TaskCommitParticipant Participant { get; }
    public TaskQueries Queries { get; }

    public TaskDatabase()
    {
        Contexts = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = ConnectionString });
        using (var db = Contexts.Create())
        {
            Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database);
        }

        using (var c = Open())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            cmd.ExecuteNonQuery();
        }

        Participant = new TaskCommitParticipant(Clock);
        Queries = new TaskQueries(Contexts, Clock);
    }

    public SqliteConnection Open()
    {
        var c = new SqliteConnection(ConnectionString);
        c.Open();
        return c;
    }

    /// <summary>Applies effects the way the runtime's commit does: own connection, one transaction, commit.</summary>
    public async Task CommitAsync(params object[] effects)
    {
        await using var connection = Open();
        await using var tx = connection.BeginTransaction(deferred: false);
        await Participant.ApplyAsync(new CommitContext(connection, tx, DatabaseProvider.Sqlite), effects, CancellationToken.None);
        await tx.CommitAsync();
    }

    public static TaskCreated Created(string id, DateTimeOffset? dueAt = null, string? assignee = "anna", string instanceId = "instance-1",
        string[]? outcomes = null, string? correlationId = "case-42", DateTimeOffset? createdAt = null) =>
        new(id, "Write meeting note", "Use the template", "meeting-note", assignee, "caseworker", correlationId, instanceId,
            "ai-" + id, "task1", id, dueAt, outcomes ?? ["Approve", "Reject"], JsonNode.Parse("""{"type":"object"}"""),
            createdAt ?? new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(Path + suffix); } catch (IOException) { }
        }
    }
}

internal static class Json
{
    public static string[] Strings(string json) => JsonSerializer.Deserialize<string[]>(json)!;
}
