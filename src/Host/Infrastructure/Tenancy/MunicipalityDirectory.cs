using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>The runtime's list of tenants: the municipality table (background work visits each in turn).</summary>
public sealed class MunicipalityDirectory(IDbContextFactory<ExitIdentityDbContext> contexts) : ITenantDirectory
{
    public async Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Municipalities.AsNoTracking().OrderBy(m => m.Id).Select(m => new TenantInfo(m.Id, m.Name)).ToListAsync(ct);
    }

    /// <summary>Runs <paramref name="work"/> once per municipality, inside its scope, one after the other.</summary>
    public static async Task ForEachAsync(ITenantDirectory directory, Func<TenantInfo, Task> work, CancellationToken ct)
    {
        foreach (var tenant in await directory.ListAsync(ct))
        {
            ct.ThrowIfCancellationRequested();
            using (TenantScope.Enter(tenant.Id))
                await work(tenant);
        }
    }
}
