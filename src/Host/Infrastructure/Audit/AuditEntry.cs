namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// One access to citizen data (or an attempt): who (staff id and name), when, what, about which citizen, why,
/// and whether it was allowed. Ids only: no names, CPR numbers or note text.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public AuditAction Action { get; init; }
    public required string ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? CitizenId { get; init; }
    public string? Purpose { get; init; }
    public AuditOutcome Outcome { get; init; }
    public string? Ip { get; init; }
}

public enum AuditAction
{
    Read,
    Search,
    Change,
    Export,
    Delete,
}

public enum AuditOutcome
{
    Allowed,
    Denied,
}
