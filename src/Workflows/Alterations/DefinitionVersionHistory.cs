using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Alterations;

/// <summary>The version an instance runs on and since when: its start, or the last migration that moved it.</summary>
public sealed record InstanceVersion(string InstanceId, int Version, DateTimeOffset Since, bool Migrated);

/// <summary>
/// Reads when an instance last changed definition version from its journal's <c>Altered</c> entries (newest first), so
/// a page can say "version 2 since …" without keeping a copy of that fact anywhere else.
/// </summary>
public sealed class DefinitionVersionHistory(IDbContextFactory<WorkflowDbContext> factory)
{
    /// <summary>The newest instance with this correlation id (a CTI course's id), or null.</summary>
    public async Task<InstanceVersion?> ForCorrelationAsync(string correlationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var instance = await db.Instances.AsNoTracking().Where(i => i.CorrelationId == correlationId)
            .OrderByDescending(i => i.CreatedAt).Select(i => new { i.Id, i.Version, i.CreatedAt }).FirstOrDefaultAsync(ct);
        if (instance is null) return null;
        var altered = await db.Journal.AsNoTracking()
            .Where(r => r.InstanceId == instance.Id && r.EventName == WorkflowExecution.AlteredEvent)
            .OrderByDescending(r => r.Sequence).Select(r => new { r.Timestamp, r.Payload }).ToListAsync(ct);
        foreach (var a in altered)
        {
            if (a.Payload is null || JsonNode.Parse(a.Payload) is not JsonObject p) continue;
            if (p["fromVersion"]?.GetValue<int>() is { } from && p["toVersion"]?.GetValue<int>() is { } to && from != to)
                return new InstanceVersion(instance.Id, instance.Version, a.Timestamp, Migrated: true);
        }
        return new InstanceVersion(instance.Id, instance.Version, instance.CreatedAt, Migrated: false);
    }
}
