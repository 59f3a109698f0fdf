using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// <see cref="IWorkflowDefinitionStore"/> on EF Core. The Elsa definition document is stored as JSON text and parsed
/// back into a graph on read through <see cref="IWorkflowGraphParser"/>. Version selectors: Latest = is_latest;
/// Published = is_published; LatestOrPublished = either flag; LatestAndPublished = both; Draft = not published;
/// AllVersions = any; Specific = that number. <see cref="FindAsync"/> returns the highest version that matches.
/// Lists are ordered by name, definition id, version (reversed when <see cref="DefinitionFilter.Descending"/>).
/// </summary>
public sealed class EfWorkflowDefinitionStore(IDbContextFactory<WorkflowDbContext> factory, IWorkflowGraphParser parser) : IWorkflowDefinitionStore, IDefinitionVersionProbe
{
    /// <summary>The id column only: the (is_published, definition_id) and unique (definition_id, version) indexes answer it.</summary>
    public async Task<string?> FindVersionIdAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await Select(db.Definitions.AsNoTracking().Where(x => x.DefinitionId == definitionId), versions)
            .OrderByDescending(x => x.Version)
            .Select(x => x.Id)
            .FirstOrDefaultAsync(ct);
    }

    public async Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await Select(db.Definitions.AsNoTracking().Where(x => x.DefinitionId == definitionId), versions)
            .OrderByDescending(x => x.Version)
            .FirstOrDefaultAsync(ct);
        return row is null ? null : ToVersion(row);
    }

    public async Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == versionId, ct);
        return row is null ? null : ToVersion(row);
    }

    public async Task<bool> VersionIdExistsAsync(string versionId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // Across tenants on purpose: the id is the table's key, so another tenant's version makes it taken. Only
        // existence is answered, nothing of the row.
        return await db.Definitions.IgnoreQueryFilters().AnyAsync(x => x.Id == versionId, ct);
    }

    public async Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = Filter(db, filter);
        var total = await query.CountAsync(ct);
        var rows = await Order(query, filter).Skip(Math.Max(0, filter.Page) * filter.PageSize).Take(filter.PageSize).ToListAsync(ct);
        return new Page<WorkflowDefinitionVersion>(rows.ConvertAll(ToVersion), total);
    }

    public async Task<Page<WorkflowDefinitionSummary>> ListSummariesAsync(DefinitionFilter filter, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = Filter(db, filter);
        var total = await query.CountAsync(ct);
        var items = await Order(query, filter).Skip(Math.Max(0, filter.Page) * filter.PageSize).Take(filter.PageSize)
            .Select(x => new WorkflowDefinitionSummary(x.Id, x.DefinitionId, x.Version, x.Name, x.Description, x.IsLatest, x.IsPublished, x.CreatedAt))
            .ToListAsync(ct);
        return new Page<WorkflowDefinitionSummary>(items, total);
    }

    public async Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        var ids = versions.Select(v => v.Id).ToList();
        var existing = await db.Definitions.Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        foreach (var v in versions)
        {
            var json = v.Json.ToJsonString();
            if (existing.TryGetValue(v.Id, out var row))
            {
                row.DefinitionId = v.DefinitionId;
                row.Version = v.Version;
                row.Name = v.Name;
                row.Description = v.Description;
                row.IsLatest = v.IsLatest;
                row.IsPublished = v.IsPublished;
                row.CreatedAt = v.CreatedAt;
                row.Json = json;
            }
            else
            {
                db.Definitions.Add(new DefinitionRow
                {
                    Id = v.Id, DefinitionId = v.DefinitionId, Version = v.Version, Name = v.Name, Description = v.Description,
                    IsLatest = v.IsLatest, IsPublished = v.IsPublished, CreatedAt = v.CreatedAt, Json = json,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<int> DeleteAsync(string definitionId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Definitions.Where(x => x.DefinitionId == definitionId).ExecuteDeleteAsync(ct);
    }

    private static IQueryable<DefinitionRow> Filter(WorkflowDbContext db, DefinitionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Select(db.Definitions.AsNoTracking(), filter.Versions ?? VersionOptions.AllVersions);
        if (filter.Ids is { Count: > 0 } ids) query = query.Where(x => ids.Contains(x.Id));
        if (filter.DefinitionIds is { Count: > 0 } definitionIds) query = query.Where(x => definitionIds.Contains(x.DefinitionId));
        if (!string.IsNullOrWhiteSpace(filter.SearchTerm))
        {
            var term = filter.SearchTerm.Trim().ToLower();
            query = query.Where(x => x.Name.ToLower().Contains(term)
                || (x.Description != null && x.Description.ToLower().Contains(term))
                || x.DefinitionId.ToLower().Contains(term));
        }
        return query;
    }

    private static IQueryable<DefinitionRow> Order(IQueryable<DefinitionRow> query, DefinitionFilter filter) => filter.Descending
        ? query.OrderByDescending(x => x.Name).ThenByDescending(x => x.DefinitionId).ThenByDescending(x => x.Version)
        : query.OrderBy(x => x.Name).ThenBy(x => x.DefinitionId).ThenBy(x => x.Version);

    private static IQueryable<DefinitionRow> Select(IQueryable<DefinitionRow> query, VersionOptions versions) => versions.Selector switch
    {
        VersionSelector.Latest => query.Where(x => x.IsLatest),
        VersionSelector.Published => query.Where(x => x.IsPublished),
        VersionSelector.LatestOrPublished => query.Where(x => x.IsLatest || x.IsPublished),
        VersionSelector.LatestAndPublished => query.Where(x => x.IsLatest && x.IsPublished),
        VersionSelector.Draft => query.Where(x => !x.IsPublished),
        VersionSelector.AllVersions => query,
        VersionSelector.Specific => versions.Version is { } n
            ? query.Where(x => x.Version == n)
            : throw new ArgumentException("VersionSelector.Specific needs a version number.", nameof(versions)),
        _ => throw new ArgumentOutOfRangeException(nameof(versions), versions.Selector, "Unknown version selector."),
    };

    private WorkflowDefinitionVersion ToVersion(DefinitionRow row)
    {
        var json = JsonNode.Parse(row.Json)?.AsObject() ?? new JsonObject();
        return new WorkflowDefinitionVersion
        {
            Id = row.Id, DefinitionId = row.DefinitionId, Version = row.Version, Name = row.Name, Description = row.Description,
            IsLatest = row.IsLatest, IsPublished = row.IsPublished, CreatedAt = row.CreatedAt, Json = json, Graph = parser.Parse(json),
        };
    }
}
