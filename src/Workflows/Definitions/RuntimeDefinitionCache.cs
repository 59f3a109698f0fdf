using System.Collections.Concurrent;
using System.Diagnostics;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Parsed definition versions for the engine, so a start or resume does not re-read and re-parse the stored Elsa
/// JSON each time (the EF store parses the document into a graph on every read). Only the runtime reads through it
/// (<see cref="CachingDefinitionStore"/>); API reads go to the store, and writes through the store invalidate it
/// (<see cref="InvalidatingDefinitionStore"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>By version id</b> (every resume): only a version read while published is kept. A published version's JSON is
/// never overwritten (a draft saved over it becomes a new version), so the graph stays right for as long as the id
/// exists; its flags may go stale, and the runtime does not use them. Drafts, whose JSON can be overwritten, are
/// always read from the store.
/// </para>
/// <para>
/// <b>By definition id and selector</b> (every start: "the published version of X"): on a database several hosts
/// share (PostgreSQL), never trusted: every start asks the database which version id the selector means now
/// (<see cref="IDefinitionVersionProbe"/>, one indexed query for the id column) and takes that id's graph from the
/// cache, so another host's publish, retract or delete is seen by this host's very next start. On SQLite (one host
/// per file; clustering is refused there) the answer is kept for <see cref="SelectorLifetime"/> and dropped at once
/// when this process saves or deletes a definition. A read that overlapped an invalidation is not kept.
/// </para>
/// </remarks>
public sealed class RuntimeDefinitionCache
{
    /// <summary>How long "the published version of X" is trusted without asking the store again.</summary>
    public static readonly TimeSpan SelectorLifetime = TimeSpan.FromSeconds(2);

    // Keyed by tenant too: every tenant that adopted a template has its own versions under the same definition id, and a
    // version read in one tenant's scope must never answer another's.
    private readonly ConcurrentDictionary<(string Tenant, string VersionId), WorkflowDefinitionVersion> _byId = new();
    private readonly ConcurrentDictionary<(string Tenant, string DefinitionId, VersionOptions Versions), (WorkflowDefinitionVersion Version, long Expires)> _bySelector = new();

    /// <summary>The tenant whose view a read fills or is answered from ("" with no scope, which reads nothing anyway).</summary>
    private static string Tenant => Tenancy.TenantScope.Current ?? "";
    private long _generation;

    internal long Generation => Interlocked.Read(ref _generation);

    internal bool TryGet(string versionId, out WorkflowDefinitionVersion version) => _byId.TryGetValue((Tenant, versionId), out version!);

    internal bool TryGet(string definitionId, VersionOptions versions, out WorkflowDefinitionVersion version)
    {
        if (_bySelector.TryGetValue((Tenant, definitionId, versions), out var entry) && Stopwatch.GetTimestamp() < entry.Expires)
        {
            version = entry.Version;
            return true;
        }
        version = null!;
        return false;
    }

    internal void Add(WorkflowDefinitionVersion version, long generation)
    {
        if (version.IsPublished && Generation == generation) _byId[(Tenant, version.Id)] = version;
    }

    internal void Add(string definitionId, VersionOptions versions, WorkflowDefinitionVersion version, long generation)
    {
        if (Generation != generation) return;
        _bySelector[(Tenant, definitionId, versions)] = (version, Stopwatch.GetTimestamp() + (long)(SelectorLifetime.TotalSeconds * Stopwatch.Frequency));
        Add(version, generation);
    }

    /// <summary>Forgets everything (a save or delete happened): definitions change rarely, so no finer bookkeeping.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _bySelector.Clear();
        _byId.Clear();
    }

    /// <summary>
    /// Runs a save or delete with the cache forgotten before (no reader adds a version the write replaces while it
    /// runs) and after (nothing read during the write survives it).
    /// </summary>
    public async Task<T> AroundWriteAsync<T>(Func<Task<T>> write)
    {
        Invalidate();
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            Invalidate();
        }
    }
}

/// <summary>
/// The runtime's view of the definition store: reads through <see cref="RuntimeDefinitionCache"/>. Its inner store is the
/// application's <see cref="InvalidatingDefinitionStore"/> (possibly decorated), so writes pass straight through.
/// </summary>
/// <param name="probe">Given when the database is shared by several hosts: the selector is resolved to a version id in
/// the database on every call (see <see cref="RuntimeDefinitionCache"/>); null keeps the selector cache.</param>
public sealed class CachingDefinitionStore(IWorkflowDefinitionStore inner, RuntimeDefinitionCache cache, IDefinitionVersionProbe? probe = null) : IWorkflowDefinitionStore
{
    public async Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        if (probe is not null)
        {
            var before = cache.Generation;
            if (await probe.FindVersionIdAsync(definitionId, versions, ct).ConfigureAwait(false) is not { } id) return null;
            if (cache.TryGet(id, out var byId)) return byId;
            var read = await inner.FindByIdAsync(id, ct).ConfigureAwait(false);
            if (read is not null) cache.Add(read, before);
            return read;
        }
        if (cache.TryGet(definitionId, versions, out var cached)) return cached;
        var generation = cache.Generation;
        var version = await inner.FindAsync(definitionId, versions, ct).ConfigureAwait(false);
        if (version is not null) cache.Add(definitionId, versions, version, generation);
        return version;
    }

    public async Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct)
    {
        if (cache.TryGet(versionId, out var cached)) return cached;
        var generation = cache.Generation;
        var version = await inner.FindByIdAsync(versionId, ct).ConfigureAwait(false);
        if (version is not null) cache.Add(version, generation);
        return version;
    }

    public Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListAsync(filter, ct);

    public Task<Page<WorkflowDefinitionSummary>> ListSummariesAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListSummariesAsync(filter, ct);

    // Writes go to the application's store (inner), which invalidates the cache around them itself.
    public Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct) => inner.SaveAsync(versions, ct);

    public Task<int> DeleteAsync(string definitionId, CancellationToken ct) => inner.DeleteAsync(definitionId, ct);

    public Task<bool> VersionIdExistsAsync(string versionId, CancellationToken ct) => inner.VersionIdExistsAsync(versionId, ct);
}

/// <summary>The application's definition store: the real one, and every save or delete invalidates <see cref="RuntimeDefinitionCache"/>.</summary>
public sealed class InvalidatingDefinitionStore(IWorkflowDefinitionStore inner, RuntimeDefinitionCache cache) : IWorkflowDefinitionStore
{
    public Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct) => inner.FindAsync(definitionId, versions, ct);

    public Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct) => inner.FindByIdAsync(versionId, ct);

    public Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListAsync(filter, ct);

    public Task<Page<WorkflowDefinitionSummary>> ListSummariesAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListSummariesAsync(filter, ct);

    public Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct) =>
        cache.AroundWriteAsync(async () => { await inner.SaveAsync(versions, ct).ConfigureAwait(false); return 0; });

    public Task<int> DeleteAsync(string definitionId, CancellationToken ct) =>
        cache.AroundWriteAsync(() => inner.DeleteAsync(definitionId, ct));

    public Task<bool> VersionIdExistsAsync(string versionId, CancellationToken ct) => inner.VersionIdExistsAsync(versionId, ct);
}
