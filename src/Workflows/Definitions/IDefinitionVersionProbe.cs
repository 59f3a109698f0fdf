using Exit.Workflows.Persistence;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Which version id a selector means right now, asked of the database without reading or parsing the document. Several
/// hosts share one database: another host's publish, retract or delete changes the answer, and no message is needed for
/// this host to see it (the question is asked on every start, in one indexed query).
/// </summary>
public interface IDefinitionVersionProbe
{
    /// <summary>The id of the highest version of <paramref name="definitionId"/> that <paramref name="versions"/> selects, or null.</summary>
    Task<string?> FindVersionIdAsync(string definitionId, VersionOptions versions, CancellationToken ct);
}
