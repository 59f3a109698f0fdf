namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// The other hosts on the same database. One wake-up fires on one host; when its sweep finds more than a page due (a
/// storm), it invites the others to sweep too, and the claimed pages (<c>TimerClaim</c>) split the work between them.
/// An invitation that does not arrive costs speed only: the inviting host sweeps everything by itself.
/// </summary>
public interface ISweepPeers
{
    /// <summary>Asks the other hosts to sweep now. Returns once the invitation is sent (not when they act on it).</summary>
    Task InviteAsync(CancellationToken ct);
}

/// <summary>One host per database (SQLite): nobody to invite.</summary>
public sealed class NoSweepPeers : ISweepPeers
{
    public Task InviteAsync(CancellationToken ct) => Task.CompletedTask;
}
