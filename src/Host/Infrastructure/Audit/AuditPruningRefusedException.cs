namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// PostgreSQL refused <see cref="AuditPruning.PostgresFunction"/>: the service's role was not granted EXECUTE on it, or
/// the schema was not migrated by its owner to the version that creates it. Nothing was removed.
/// </summary>
public sealed class AuditPruningRefusedException(string? sqlState, Exception inner)
    : Exception($"PostgreSQL refused {AuditPruning.PostgresFunction} (SQLSTATE {sqlState}): migrate the schema as its owner and " +
        $"grant the service's role EXECUTE on it (README, \"Audit chain\").", inner)
{
    public string? SqlState { get; } = sqlState;
}
