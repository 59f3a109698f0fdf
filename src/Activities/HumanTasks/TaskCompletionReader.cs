using System.Data;
using System.Data.Common;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// What a completion needs to know about a task before it resumes the workflow, and what an access check on it needs
/// (assignee, role, kind, correlation id), so the task API reads the row once for both.
/// </summary>
public sealed record TaskForCompletion(
    string Id, HumanTaskStatus Status, string AllowedOutcomesJson, string InstanceId, string BookmarkKey, string? BookmarkId,
    string? Assignee, string? Role, string? Kind, string? CorrelationId)
{
    /// <summary>
    /// The instance and bookmarks the completion's resume reads, read in the same round trip as the task (PostgreSQL;
    /// null elsewhere, or when no instance owns the task's bookmark). Nothing is done with it before the caller's
    /// access check; the resume's first attempt runs on it (<see cref="ResumeBookmarkRequest.ReadBefore"/>).
    /// </summary>
    public InstanceWithBookmarks? Resume { get; init; }
}

/// <summary>
/// Reads a task for <see cref="HumanTaskService.CompleteAsync"/> with one plain parameterised SELECT of the columns it
/// and the task API's access check use. EF's query pipeline cost more than the read on this hot path, and a compiled query cannot serve the SQLite
/// and PostgreSQL hosts of one process; quoted PascalCase names read the same on both (as in <see cref="TaskCommitParticipant"/>).
/// </summary>
internal static class TaskCompletionReader
{
    internal const string Sql =
        "SELECT \"Status\", \"AllowedOutcomesJson\", \"InstanceId\", \"BookmarkKey\", \"BookmarkId\", \"Assignee\", \"Role\", \"Kind\", \"CorrelationId\" " +
        "FROM \"HumanTasks\" WHERE \"TenantId\" = @tenant AND \"Id\" = @id";

    /// <summary>
    /// On PostgreSQL the task and, behind it in the same command, the resume's read of the instance and bookmarks through
    /// the task's bookmark (named <c>BookmarkId</c>, or the task's id as <see cref="HumanTask"/> names it): one round trip
    /// and one implicit transaction instead of two, each on a pooled connection of its own. Every statement tests the
    /// tenant in scope.
    /// </summary>
    internal static readonly string WithResumeSql =
        Sql + ";\n" + ResumeRead.Sql(
            "(SELECT COALESCE(\"BookmarkId\", \"Id\") FROM \"HumanTasks\" WHERE \"TenantId\" = @tenant AND \"Id\" = @id)", "@tenant");

    private static readonly ReadStatement Statement = new(Sql, ("@tenant", DbType.String), ("@id", DbType.String));
    private static readonly ReadStatement WithResume = new(WithResumeSql, ("@tenant", DbType.String), ("@id", DbType.String));

    public static async Task<TaskForCompletion?> FindAsync(TaskDbContextFactory contexts, string taskId, CancellationToken ct)
    {
        // On SQLite an open connection with the statement prepared (PreparedReads); elsewhere a pooled context's connection.
        if (contexts.Reads is { } reads)
        {
            var session = await reads.RentAsync(ct);
            var reusable = false;
            try
            {
                var found = await ExecuteAsync(session.Command(Statement), taskId, withResume: false, ct);
                reusable = true;
                return found;
            }
            finally
            {
                reads.Return(session, reusable);
            }
        }
        await using var db = contexts.Create();
        await db.Database.OpenConnectionAsync(ct);
        var withResume = contexts.Provider == DatabaseProvider.Postgres;
        await using var cmd = (withResume ? WithResume : Statement).Create(db.Database.GetDbConnection());
        return await ExecuteAsync(cmd, taskId, withResume, ct);
    }

    private static async Task<TaskForCompletion?> ExecuteAsync(DbCommand cmd, string taskId, bool withResume, CancellationToken ct)
    {
        // Raw SQL bypasses the EF filter: only the municipality in scope's task is found (none in scope: none found).
        cmd.Parameters[0].Value = TenantScope.Current ?? (object)DBNull.Value;
        cmd.Parameters[1].Value = taskId;
        // SingleRow would stop after the first result set.
        await using var reader = await cmd.ExecuteReaderAsync(withResume ? CommandBehavior.Default : CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct)) return null;
        var task = new TaskForCompletion(
            taskId,
            Enum.Parse<HumanTaskStatus>(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8));
        if (!withResume || !await reader.NextResultAsync(ct)) return task;
        return task with { Resume = await ResumeRead.ReadAsync(reader, ct) };
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
