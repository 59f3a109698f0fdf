namespace Exit.Activities.Cti.Domain;

/// <summary>A pause, [From, To); <see cref="To"/> is null while the course is paused.</summary>
public sealed record CoursePause(PauseReason Reason, DateTimeOffset From, DateTimeOffset? To)
{
    public bool IsOpen => To is null;
}
