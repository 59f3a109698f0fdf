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

    public static async Task<TaskForCompletion?> FindAsync(TaskDbContextFactory contexts, string taskId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = Sql;
        // Raw SQL bypasses the EF filter: only the municipality in scope's task is found (none in scope: none found).
        Add(cmd, "@tenant", TenantScope.Current ?? (object)DBNull.Value);
        Add(cmd, "@id", taskId);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new TaskForCompletion(
            taskId,
            Enum.Parse<HumanTaskStatus>(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8));
    }

    private static void Add(System.Data.Common.DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = System.Data.DbType.String;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
