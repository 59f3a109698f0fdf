namespace Exit.Host.Infrastructure.Privacy;

/// <summary>
/// A retention run in which some municipalities failed (each logged with its id); the others' expired data was removed
/// (<see cref="Done"/>). The next day's run takes up what is left: every step removes what is still there.
/// </summary>
public sealed class RetentionIncompleteException(IReadOnlyList<string> failedTenants, RetentionResult done)
    : Exception($"Retention failed in {failedTenants.Count} municipalities ({string.Join(", ", failedTenants)}); the others' expired data was removed.")
{
    public IReadOnlyList<string> FailedTenants { get; } = failedTenants;

    public RetentionResult Done { get; } = done;
}
