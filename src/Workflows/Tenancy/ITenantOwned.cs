namespace Exit.Workflows.Tenancy;

/// <summary>A row that belongs to one tenant: filtered by <see cref="TenantScope"/> and stamped with it on insert.</summary>
public interface ITenantOwned
{
    string TenantId { get; set; }
}

/// <summary>
/// A DbContext whose tenant-owned sets are filtered. The filter reads <see cref="CurrentTenantId"/> from the context
/// instance that runs the query (EF evaluates it per query, pooled contexts included), never a value fixed at model build.
/// </summary>
public interface ITenantFilteredContext
{
    string? CurrentTenantId { get; }
}
