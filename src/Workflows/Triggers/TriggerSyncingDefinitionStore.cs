using Exit.Workflows.Persistence;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Triggers;

/// <summary>
/// Brings the start triggers in line after every save and delete of definition versions, whichever path made
/// it (Studio's save and publish, retract, import, delete): the store is where a version becomes published.
/// </summary>
/// <remarks>
/// The versions are committed before the triggers change. If that step fails the save still stands; the error
/// is logged and the next start-up pass repairs the triggers from the published versions.
/// </remarks>
public sealed class TriggerSyncingDefinitionStore(
    IWorkflowDefinitionStore inner,
    StartTriggerScheduler triggers,
    ILogger<TriggerSyncingDefinitionStore> logger) : IWorkflowDefinitionStore
{
    public Task<Definitions.WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct) =>
        inner.FindAsync(definitionId, versions, ct);

    public Task<Definitions.WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct) => inner.FindByIdAsync(versionId, ct);

    public Task<Page<Definitions.WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListAsync(filter, ct);

    public Task<Page<WorkflowDefinitionSummary>> ListSummariesAsync(DefinitionFilter filter, CancellationToken ct) => inner.ListSummariesAsync(filter, ct);

    public Task<bool> VersionIdExistsAsync(string versionId, CancellationToken ct) => inner.VersionIdExistsAsync(versionId, ct);

    public async Task SaveAsync(IReadOnlyList<Definitions.WorkflowDefinitionVersion> versions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(versions);
        await inner.SaveAsync(versions, ct).ConfigureAwait(false);
        if (!triggers.IsReady) return;
        foreach (var definitionId in versions.Select(v => v.DefinitionId).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await triggers.SyncAsync(definitionId, inner, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Start triggers of definition {DefinitionId} were not updated; the next start-up repairs them", definitionId);
            }
        }
    }

    public async Task<int> DeleteAsync(string definitionId, CancellationToken ct)
    {
        var deleted = await inner.DeleteAsync(definitionId, ct).ConfigureAwait(false);
        if (!triggers.IsReady) return deleted;
        try
        {
            await triggers.RemoveAsync(definitionId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start triggers of deleted definition {DefinitionId} were not removed; the next start-up removes them", definitionId);
        }
        return deleted;
    }
}
