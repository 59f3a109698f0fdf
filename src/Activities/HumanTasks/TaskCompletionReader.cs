using System.Data;
using System.Data.Common;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// What a completion needs to know about a task before it resumes the workflow, and what an access check on it needs
/// (assignee, role, kind, correlation id), so the task API reads the row once for both.
/// </summary>
public sealed record TaskForCompletion(
    string Id, HumanTaskStatus Status, string AllowedOutcomesJson, string InstanceId, string BookmarkKey, string? BookmarkId,
    string? Assignee, string? Role, string? Kind, string? CorrelationId);

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

    private static readonly ReadStatement Statement = new(Sql, ("@tenant", DbType.String), ("@id", DbType.String));

    public static async Task<TaskForCompletion?> FindAsync(TaskDbContextFactory contexts, string taskId, CancellationToken ct)
    {
        // On SQLite an open connection with the statement prepared (PreparedReads); elsewhere a pooled context's connection.
        if (contexts.Reads is { } reads)
        {
            var session = await reads.RentAsync(ct);
            var reusable = false;
            try
            {
                var found = await ExecuteAsync(session.Command(Statement), taskId, ct);
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
        await using var cmd = Statement.Create(db.Database.GetDbConnection());
        return await ExecuteAsync(cmd, taskId, ct);
    }

    private static async Task<TaskForCompletion?> ExecuteAsync(DbCommand cmd, string taskId, CancellationToken ct)
    {
        // Raw SQL bypasses the EF filter: only the municipality in scope's task is found (none in scope: none found).
        cmd.Parameters[0].Value = TenantScope.Current ?? (object)DBNull.Value;
        cmd.Parameters[1].Value = taskId;
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new TaskForCompletion(
            taskId,
            Enum.Parse<HumanTaskStatus>(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8));
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
