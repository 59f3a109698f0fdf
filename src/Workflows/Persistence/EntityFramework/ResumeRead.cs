using System.Data.Common;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// The resume's read (<see cref="IWorkflowInstanceStore.FindByBookmarkAsync"/>: the instance that owns a bookmark and
/// its bookmarks) for another hot read to send behind its own statement, in the same command: on PostgreSQL one round
/// trip and one implicit transaction instead of two. The task completion reads its task this way and hands the result
/// to the runtime (<see cref="Execution.ResumeBookmarkRequest.ReadBefore"/>). Same statements and tenant test as the
/// store's own read.
/// </summary>
public static class ResumeRead
{
    /// <summary>
    /// Two statements: the instance, then its bookmarks. <paramref name="bookmarkIdSql"/> is a parameter or a sub-select
    /// yielding the bookmark id; <paramref name="tenantParameter"/> the parameter holding the caller's tenant (raw SQL
    /// bypasses EF's filter, so these statements test it themselves).
    /// </summary>
    public static string Sql(string bookmarkIdSql, string tenantParameter) =>
        EfWorkflowInstanceStore.FindByBookmarkSqlFor(bookmarkIdSql, tenantParameter);

    /// <summary>Reads what <see cref="Sql"/> returned, the reader on its first result set; null when no instance owns the bookmark.</summary>
    public static Task<InstanceWithBookmarks?> ReadAsync(DbDataReader reader, CancellationToken ct) =>
        EfWorkflowInstanceStore.ReadInstanceWithBookmarksAsync(reader, ct);
}
