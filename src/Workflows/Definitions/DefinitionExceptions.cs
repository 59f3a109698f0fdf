namespace Exit.Workflows.Definitions;

/// <summary>Publishing (or importing) was refused because the definition has problems; nothing was stored.</summary>
public sealed class DefinitionValidationException : Exception
{
    public DefinitionValidationException(string? definitionId, IReadOnlyList<DefinitionProblem> problems)
        : base(Describe(definitionId, problems))
    {
        DefinitionId = definitionId;
        Problems = problems;
    }

    public string? DefinitionId { get; }
    public IReadOnlyList<DefinitionProblem> Problems { get; }

    private static string Describe(string? definitionId, IReadOnlyList<DefinitionProblem> problems)
    {
        var what = definitionId is null ? "The workflow definition" : $"Workflow definition '{definitionId}'";
        var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        return $"{what} cannot be published; it has {count}:{Environment.NewLine}- " +
               string.Join(Environment.NewLine + "- ", problems.Select(p => p.Message));
    }
}

/// <summary>
/// A save was refused because it would lose stored activities (CONTRACT §7.4: Studio shows an empty canvas
/// and posts <c>activities: []</c> when it cannot render an activity type). Nothing was stored.
/// </summary>
public sealed class DefinitionSaveRefusedException : Exception
{
    public DefinitionSaveRefusedException(string definitionId, string message, IReadOnlyList<string> lostActivityIds)
        : base(message)
    {
        DefinitionId = definitionId;
        LostActivityIds = lostActivityIds;
    }

    public string DefinitionId { get; }

    /// <summary>Ids of stored activities the save would have dropped.</summary>
    public IReadOnlyList<string> LostActivityIds { get; }
}

/// <summary>No version of the definition is stored.</summary>
public sealed class DefinitionNotFoundException(string definitionId)
    : Exception($"Workflow definition '{definitionId}' does not exist.")
{
    public string DefinitionId { get; } = definitionId;
}
