namespace Exit.Workflows.Alterations;

/// <summary>
/// The audit entry of one instance a bulk plan alters. The runtime knows no audit log; the Host supplies this, and the
/// worker passes what it makes as an effect of the instance's own commit, so the entry is stored exactly when the
/// instance was altered (after a crash: never an entry without the change, never a change without its entry).
/// </summary>
public interface IAlterationJobAudit
{
    /// <summary>
    /// Looks up what the entry needs (the submitter, the instance's citizen) before the commit, and returns the factory the
    /// runner calls with the outcome (from and to version) to make the commit effects.
    /// </summary>
    Task<Func<AlterationOutcome, IReadOnlyList<object>>> PrepareAsync(AlterationPlan plan, AlterationJob job, CancellationToken ct);

    /// <summary>After the commit: writes the entry on its own if the commit had no participant that took it.</summary>
    Task AfterCommitAsync(IReadOnlyList<object> effects, CancellationToken ct);
}
