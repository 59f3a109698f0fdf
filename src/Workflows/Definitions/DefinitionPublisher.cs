using System.Globalization;
using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;

namespace Exit.Workflows.Definitions;

/// <summary>What <see cref="DefinitionPublisher.SaveAsync"/> stored.</summary>
/// <param name="Version">The version now latest (the one saved, or the unchanged latest).</param>
/// <param name="Change">Whether a version was created, overwritten, or nothing changed.</param>
/// <param name="Problems">Validation problems of the saved document; a draft may be saved with problems.</param>
public sealed record DefinitionSaveResult(WorkflowDefinitionVersion Version, DefinitionChange Change, IReadOnlyList<DefinitionProblem> Problems);

public enum DefinitionChange
{
    /// <summary>A new version number was stored (first save, or an edit of a published latest version).</summary>
    NewVersion,

    /// <summary>The latest draft was overwritten in place (same id and number).</summary>
    Overwritten,

    /// <summary>Only flags changed (publish of the existing draft), or nothing changed at all.</summary>
    Unchanged,
}

public enum DefinitionImportStatus { Imported, Unchanged }

/// <summary>What <see cref="DefinitionPublisher.ImportAsync"/> did; <see cref="Version"/> is the latest version afterwards.</summary>
public sealed record DefinitionImportResult(DefinitionImportStatus Status, WorkflowDefinitionVersion Version);

/// <summary>
/// The versioning rules of workflow definitions (Elsa's): a save over a published latest version creates
/// draft n+1, a save over a draft overwrites it; publishing validates first and un-publishes the previous
/// published version; an import publishes the file as a new version unless the latest is identical. Saves that
/// would lose stored activities Studio could not render are refused (CONTRACT §7.4).
/// Writes are serialised within this instance, so register it as a singleton.
/// </summary>
public sealed class DefinitionPublisher
{
    /// <summary>Document properties that record where a version sits rather than what it contains.</summary>
    private static readonly string[] BookkeepingKeys = ["id", "version", "isLatest", "isPublished", "createdAt", "links", "toolVersion"];

    private readonly IWorkflowDefinitionStore _store;
    private readonly DefinitionValidator _validator;
    private readonly ActivityRegistry _registry;
    private readonly IIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DefinitionPublisher(IWorkflowDefinitionStore store, DefinitionValidator validator, ActivityRegistry registry, IIdGenerator ids, TimeProvider time)
    {
        _store = store;
        _validator = validator;
        _registry = registry;
        _ids = ids;
        _time = time;
    }

    /// <summary>
    /// Studio's save (<c>POST /workflow-definitions</c> with <c>{model, publish}</c>). Assigns a definitionId when the
    /// model has none, normalises the document and stores it as described on the class.
    /// </summary>
    /// <exception cref="DefinitionFormatException">The model is not definition-shaped.</exception>
    /// <exception cref="DefinitionSaveRefusedException">The save would lose stored activities.</exception>
    /// <exception cref="DefinitionValidationException">Publishing was asked and the definition has problems; nothing was stored.</exception>
    public async Task<DefinitionSaveResult> SaveAsync(JsonObject model, bool publish, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parsed = DefinitionJsonReader.Read(model);
        var problems = _validator.Validate(parsed);

        await _gate.WaitAsync(ct);
        try
        {
            var definitionId = parsed.DefinitionId ?? _ids.NewId();
            var latest = await _store.FindAsync(definitionId, VersionOptions.Latest, ct);
            if (latest is not null) GuardAgainstLoss(definitionId, latest, parsed);
            if (publish && problems.Count > 0) throw new DefinitionValidationException(definitionId, problems);

            var published = await _store.FindAsync(definitionId, VersionOptions.Published, ct);
            if (latest is not null && SameContent(latest.Json, parsed.Document) && (latest.IsPublished || !publish))
                return new DefinitionSaveResult(latest, DefinitionChange.Unchanged, problems);

            var changes = new List<WorkflowDefinitionVersion>();
            WorkflowDefinitionVersion saved;
            DefinitionChange change;
            if (latest is null || latest.IsPublished)
            {
                var id = await UnusedIdAsync(latest is null ? parsed.Id : null, ct);
                saved = NewVersion(parsed, definitionId, id, (latest?.Version ?? 0) + 1, publish, _time.GetUtcNow());
                if (latest is not null) changes.Add(WithFlags(latest, isLatest: false, isPublished: latest.IsPublished && !publish));
                change = DefinitionChange.NewVersion;
            }
            else
            {
                saved = NewVersion(parsed, definitionId, latest.Id, latest.Version, publish, latest.CreatedAt);
                change = DefinitionChange.Overwritten;
            }
            if (publish && published is not null && published.Id != latest?.Id)
                changes.Add(WithFlags(published, isLatest: false, isPublished: false));
            changes.Add(saved);

            await _store.SaveAsync(changes, ct);
            return new DefinitionSaveResult(saved, change, problems);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes the latest version (no-op if it is already published); un-publishes the previous one.</summary>
    /// <exception cref="DefinitionNotFoundException">No version is stored.</exception>
    /// <exception cref="DefinitionValidationException">The latest version has problems; nothing changed.</exception>
    public async Task<WorkflowDefinitionVersion> PublishAsync(string definitionId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var latest = await _store.FindAsync(definitionId, VersionOptions.Latest, ct) ?? throw new DefinitionNotFoundException(definitionId);
            if (latest.IsPublished) return latest;
            var problems = _validator.Validate(DefinitionJsonReader.Read(latest.Json));
            if (problems.Count > 0) throw new DefinitionValidationException(definitionId, problems);
            return await PublishLatestAsync(latest, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Un-publishes the published version, so no new instances start; the versions stay stored.</summary>
    /// <exception cref="DefinitionNotFoundException">No version is stored.</exception>
    /// <exception cref="InvalidOperationException">No version is published.</exception>
    public async Task<WorkflowDefinitionVersion> RetractAsync(string definitionId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var published = await _store.FindAsync(definitionId, VersionOptions.Published, ct);
            if (published is null)
            {
                _ = await _store.FindAsync(definitionId, VersionOptions.Latest, ct) ?? throw new DefinitionNotFoundException(definitionId);
                throw new InvalidOperationException($"Workflow definition '{definitionId}' has no published version to retract.");
            }
            var retracted = WithFlags(published, published.IsLatest, isPublished: false);
            await _store.SaveAsync([retracted], ct);
            return retracted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Imports a definition file (export format, or an old 3.0 file) and publishes it, keeping its definitionId.
    /// If the latest stored version has the same content it is left alone (<see cref="DefinitionImportStatus.Unchanged"/>;
    /// a draft with the same content is published); so is a published version with the same content under a newer
    /// draft. Otherwise the file becomes a new published (and latest) version; an existing draft stays stored.
    /// </summary>
    /// <exception cref="DefinitionFormatException">The file is not a definition.</exception>
    /// <exception cref="DefinitionValidationException">The definition has problems; nothing was stored.</exception>
    public async Task<DefinitionImportResult> ImportAsync(string json, CancellationToken ct = default)
    {
        var parsed = DefinitionJsonReader.Parse(json);
        var problems = _validator.Validate(parsed);
        if (problems.Count > 0) throw new DefinitionValidationException(parsed.DefinitionId, problems);

        await _gate.WaitAsync(ct);
        try
        {
            var definitionId = parsed.DefinitionId ?? _ids.NewId();
            var latest = await _store.FindAsync(definitionId, VersionOptions.Latest, ct);
            if (latest is not null && SameContent(latest.Json, parsed.Document))
            {
                return latest.IsPublished
                    ? new DefinitionImportResult(DefinitionImportStatus.Unchanged, latest)
                    : new DefinitionImportResult(DefinitionImportStatus.Imported, await PublishLatestAsync(latest, ct));
            }

            // The file is already the published version and someone has a newer draft: importing the same file
            // again (every start-up) must not bury that draft under a copy of what is already published.
            var published = await _store.FindAsync(definitionId, VersionOptions.Published, ct);
            if (published is not null && SameContent(published.Json, parsed.Document))
                return new DefinitionImportResult(DefinitionImportStatus.Unchanged, published);

            var id = await UnusedIdAsync(parsed.Id, ct);
            var saved = NewVersion(parsed, definitionId, id, (latest?.Version ?? 0) + 1, isPublished: true, _time.GetUtcNow());
            var changes = new List<WorkflowDefinitionVersion>();
            if (latest is not null) changes.Add(WithFlags(latest, isLatest: false, isPublished: false));
            if (published is not null && published.Id != latest?.Id) changes.Add(WithFlags(published, isLatest: false, isPublished: false));
            changes.Add(saved);
            await _store.SaveAsync(changes, ct);
            return new DefinitionImportResult(DefinitionImportStatus.Imported, saved);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes every version; returns how many were deleted.</summary>
    public async Task<int> DeleteAsync(string definitionId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await _store.DeleteAsync(definitionId, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<WorkflowDefinitionVersion> PublishLatestAsync(WorkflowDefinitionVersion latest, CancellationToken ct)
    {
        var changes = new List<WorkflowDefinitionVersion>();
        var published = await _store.FindAsync(latest.DefinitionId, VersionOptions.Published, ct);
        if (published is not null && published.Id != latest.Id) changes.Add(WithFlags(published, isLatest: false, isPublished: false));
        var now = WithFlags(latest, isLatest: true, isPublished: true);
        changes.Add(now);
        await _store.SaveAsync(changes, ct);
        return now;
    }

    /// <summary>
    /// Refuses a save that empties a non-empty root, or that drops stored activities of a type the registry does
    /// not know: Studio cannot render those, so it leaves them out of what it posts (CONTRACT §7.4).
    /// </summary>
    private void GuardAgainstLoss(string definitionId, WorkflowDefinitionVersion latest, ParsedDefinition incoming)
    {
        var storedCount = latest.Graph.Root.Activities.Count;
        var unknown = latest.Graph.Descendants()
            .Where(n => n != latest.Graph.Root && (n.Type == WellKnownTypes.NotFound || _registry.Find(n.Type, n.Version) is null))
            .ToList();

        if (storedCount > 0 && incoming.Graph.Root.Activities.Count == 0)
        {
            var hint = unknown.Count > 0
                ? $" The stored version contains activity types this server has no descriptor for ({string.Join(", ", unknown.Select(n => $"{n.Type} v{n.Version}").Distinct())}), which makes Elsa Studio show an empty canvas."
                : "";
            throw new DefinitionSaveRefusedException(definitionId,
                $"Refused to save workflow definition '{definitionId}': the save has no activities, but version {latest.Version} has {storedCount}. Nothing was saved.{hint} " +
                "To really empty it, delete the definition or import a file.",
                latest.Graph.Root.Activities.Select(n => n.Id).ToList());
        }

        if (unknown.Count == 0) return;
        var incomingIds = incoming.Graph.Descendants().Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var lost = unknown.Where(n => !incomingIds.Contains(n.Id)).ToList();
        if (lost.Count == 0) return;
        throw new DefinitionSaveRefusedException(definitionId,
            $"Refused to save workflow definition '{definitionId}': it would drop {lost.Count} stored activit{(lost.Count == 1 ? "y" : "ies")} of a type this server does not know " +
            $"({string.Join(", ", lost.Select(n => $"{GraphChecks.Describe(n)} v{n.Version}"))}). Elsa Studio leaves out activities it cannot render. " +
            "Register the activity type, or import a file without them. Nothing was saved.",
            lost.Select(n => n.Id).ToList());
    }

    private async Task<string> UnusedIdAsync(string? preferred, CancellationToken ct)
    {
        // Version ids are keys across tenants: an id another municipality holds is taken even though this one cannot see it.
        if (!string.IsNullOrEmpty(preferred) && !await _store.VersionIdExistsAsync(preferred, ct)) return preferred;
        while (true)
        {
            var id = _ids.NewId();
            if (!await _store.VersionIdExistsAsync(id, ct)) return id;
        }
    }

    private static WorkflowDefinitionVersion NewVersion(
        ParsedDefinition parsed, string definitionId, string id, int version, bool isPublished, DateTimeOffset createdAt)
    {
        var json = (JsonObject)parsed.Document.DeepClone();
        json["id"] = id;
        json["definitionId"] = definitionId;
        json["version"] = version;
        Stamp(json, isLatest: true, isPublished, createdAt);
        return new WorkflowDefinitionVersion
        {
            Id = id,
            DefinitionId = definitionId,
            Version = version,
            Name = parsed.Name ?? "",
            Description = parsed.Description,
            IsLatest = true,
            IsPublished = isPublished,
            CreatedAt = createdAt,
            Json = json,
            Graph = parsed.Graph,
        };
    }

    private static WorkflowDefinitionVersion WithFlags(WorkflowDefinitionVersion v, bool isLatest, bool isPublished)
    {
        var json = (JsonObject)v.Json.DeepClone();
        Stamp(json, isLatest, isPublished, v.CreatedAt);
        return new WorkflowDefinitionVersion
        {
            Id = v.Id,
            DefinitionId = v.DefinitionId,
            Version = v.Version,
            Name = v.Name,
            Description = v.Description,
            IsLatest = isLatest,
            IsPublished = isPublished,
            CreatedAt = v.CreatedAt,
            Json = json,
            Graph = v.Graph,
        };
    }

    private static void Stamp(JsonObject json, bool isLatest, bool isPublished, DateTimeOffset createdAt)
    {
        json["createdAt"] = createdAt.ToString("O", CultureInfo.InvariantCulture);
        json["isLatest"] = isLatest;
        json["isPublished"] = isPublished;
    }

    /// <summary>Two normalised documents describe the same workflow when they differ only in bookkeeping.</summary>
    internal static bool SameContent(JsonObject stored, JsonObject incoming) =>
        JsonNode.DeepEquals(WithoutBookkeeping(stored), WithoutBookkeeping(incoming));

    private static JsonObject WithoutBookkeeping(JsonObject document)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in document)
        {
            if (Array.IndexOf(BookkeepingKeys, key) < 0) copy[key] = value?.DeepClone();
        }
        return copy;
    }
}
