using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// <see cref="IDueTimerPageReader"/> on the EF store: three queries per page on one connection (the due bookmarks, their
/// instances, and those instances' bookmarks). Through EF's model rather than hand-written SQL, so it follows the
/// store's mapping wherever that goes; the query pipeline's cost is paid per page, not per timer.
/// </summary>
/// <remarks>With a <paramref name="claim"/> (PostgreSQL, several hosts) the page's bookmarks are first claimed for this host
/// (<see cref="TimerClaim"/>); <c>dueBefore</c> is then also the sweep's "now" that decides which claims have expired.</remarks>
public sealed class EfDueTimerPageReader(IDbContextFactory<WorkflowDbContext> factory, TimerClaim? claim = null) : IDueTimerPageReader
{
    public async Task<DueTimerPage> ReadDueAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        await using var db = await factory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        // Every tenant's due timers (the sweep serves the installation); each resume then enters its instance's tenant.
        var query = db.Bookmarks.IgnoreQueryFilters().AsNoTracking().Where(x => x.DueAt != null && x.DueAt <= dueBefore);
        if (claim is not null)
        {
            var claimed = await ClaimAsync(db, claim, dueBefore, after, take, ct).ConfigureAwait(false);
            if (claimed.Count == 0) return new DueTimerPage([], new Dictionary<string, LoadedInstance>());
            query = query.Where(x => claimed.Contains(x.Id));
        }
        else if (after is not null)
        {
            // The (due_at, id) index serves both the seek and the order; ids compare in the database's collation,
            // the same one ORDER BY uses, so no bookmark falls between two pages.
            var (afterDue, afterId) = (after.DueAt, after.BookmarkId);
            query = query.Where(x => x.DueAt > afterDue || (x.DueAt == afterDue && string.Compare(x.Id, afterId) > 0));
        }
        var due = await query
            .OrderBy(x => x.DueAt).ThenBy(x => x.Id)
            .Take(take)
            .ToListAsync(ct).ConfigureAwait(false);
        if (due.Count == 0) return new DueTimerPage([], new Dictionary<string, LoadedInstance>());

        var ids = due.Select(b => b.InstanceId).Distinct(StringComparer.Ordinal).ToList();
        var instances = await db.Instances.IgnoreQueryFilters().AsNoTracking()
            .Where(x => ids.Contains(x.Id))
            .ToListAsync(ct).ConfigureAwait(false);
        var bookmarks = await db.Bookmarks.IgnoreQueryFilters().AsNoTracking()
            .Where(x => ids.Contains(x.InstanceId))
            .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id)
            .ToListAsync(ct).ConfigureAwait(false);

        var byInstance = bookmarks.GroupBy(b => b.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(EfWorkflowInstanceStore.ToBookmark).ToList(), StringComparer.Ordinal);
        var loaded = new Dictionary<string, LoadedInstance>(instances.Count, StringComparer.Ordinal);
        foreach (var row in instances)
            loaded[row.Id] = new LoadedInstance(InstanceStateSerializer.Deserialize(row), byInstance.GetValueOrDefault(row.Id) ?? []);
        return new DueTimerPage(due.ConvertAll(EfWorkflowInstanceStore.ToBookmark), loaded);
    }

    private static async Task<List<string>> ClaimAsync(WorkflowDbContext db, TimerClaim claim, DateTimeOffset now, DueTimerCursor? after, int take, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = TimerClaim.ClaimSql(after is not null);
        cmd.AddParameter("@due_before", now.UtcTicks);
        cmd.AddParameter("@now", now.UtcTicks);
        cmd.AddParameter("@until", (now + claim.Lease).UtcTicks);
        cmd.AddParameter("@node", claim.Node);
        cmd.AddParameter("@take", take);
        if (after is not null)
        {
            cmd.AddParameter("@after_due", after.DueAt.UtcTicks);
            cmd.AddParameter("@after_id", after.BookmarkId);
        }
        var ids = new List<string>(take);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) ids.Add(reader.GetString(0));
        return ids;
    }
}
