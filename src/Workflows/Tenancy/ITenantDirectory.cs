namespace Exit.Workflows.Tenancy;

/// <summary>A tenant as background work and reports need it: its id and display name.</summary>
public sealed record TenantInfo(string Id, string Name);

/// <summary>
/// The tenants of this installation, for work that must visit each in turn (startup adoption of templates,
/// per-tenant sweeps, the cross-tenant report). The runtime's default knows only <see cref="TenantIds.Default"/>;
/// the web host replaces it with its municipality table.
/// </summary>
public interface ITenantDirectory
{
    Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct);
}

/// <summary>An installation with one tenant.</summary>
public sealed class SingleTenantDirectory : ITenantDirectory
{
    public Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<TenantInfo>>([new TenantInfo(TenantIds.Default, "Kommunen")]);
}
