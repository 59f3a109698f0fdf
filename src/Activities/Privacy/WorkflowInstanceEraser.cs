using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Timers;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Privacy;

/// <summary>
/// Deletes the workflow instances of a citizen's courses: the instance row with its state document (variables: the
/// course, answers), its bookmarks and its journal (activity state and payload text). Timer triggers of the deleted
/// bookmarks are dropped too; one that fires anyway finds no bookmark and does nothing.
/// </summary>
public sealed class WorkflowInstanceEraser(IDbContextFactory<WorkflowDbContext> contexts, ITimerScheduler? timers = null) : ICitizenDataEraser
{
    public string Module => "workflow";

    public async Task<int> EraseAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var ids = scope.InstanceIds;
        if (ids.Count == 0) return 0;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await SecureDelete.EnableAsync(db, ct);
        var timerBookmarks = await db.Bookmarks.Where(b => ids.Contains(b.InstanceId) && b.DueAt != null).Select(b => b.Id).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var removed = await db.Journal.Where(j => ids.Contains(j.InstanceId)).ExecuteDeleteAsync(ct);
        removed += await db.Bookmarks.Where(b => ids.Contains(b.InstanceId)).ExecuteDeleteAsync(ct);
        removed += await db.Instances.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        if (timers is not null && timerBookmarks.Count > 0) await timers.CancelAsync(timerBookmarks, ct);
        return removed;
    }
}

/// <summary>
/// SQLite keeps deleted rows' bytes in free pages until they are reused; <c>secure_delete</c> overwrites them with zeros
/// as they are freed, so erased text does not linger in the file (after the next checkpoint). PostgreSQL: nothing to do
/// here; dead tuples go with VACUUM.
/// </summary>
public static class SecureDelete
{
    public static async Task EnableAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite()) return;
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON", ct);
    }
}
