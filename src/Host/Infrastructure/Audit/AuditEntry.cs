namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// One access to citizen data (or an attempt): who (staff id and name), when, what, about which citizen, why,
/// and whether it was allowed. Ids only: no names, CPR numbers or note text.
/// </summary>
public sealed class AuditEntry : Exit.Workflows.Tenancy.ITenantOwned
{
    public long Id { get; init; }

    /// <summary>
    /// The municipality the entry belongs to: the request's (<see cref="AuditLog"/> says where entries without one go).
    /// Each municipality's entries form their own hash chain.
    /// </summary>
    public string TenantId { get; set; } = "";

    /// <summary>
    /// The lane of the municipality's log the entry was appended in (<see cref="AuditChain"/>): each (municipality, lane)
    /// is a hash chain of its own. Not part of what is hashed, so entries from before lanes (lane 0) keep their hashes.
    /// </summary>
    public short Lane { get; set; }

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

    /// <summary>The API key the request was authenticated with (stored key id, or <c>config:name</c>), else null.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 over the previous entry's hash and this entry's fields (<see cref="AuditChain"/>):
    /// changing, removing or reordering an entry breaks the chain from there on.
    /// </summary>
    public string? Hash { get; set; }
}

public enum AuditAction
{
    Read,
    Search,
    Change,
    Export,
    Delete,
}

/// <summary>What an HTTP request does to the resource it names, as the audit log words it.</summary>
public static class AuditActions
{
    public static AuditAction Of(string httpMethod) =>
        HttpMethods.IsGet(httpMethod) || HttpMethods.IsHead(httpMethod) ? AuditAction.Read
        : HttpMethods.IsDelete(httpMethod) ? AuditAction.Delete : AuditAction.Change;
}

public enum AuditOutcome
{
    Allowed,
    Denied,
}
