using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Exit.Workflows.Tenancy;

/// <summary>
/// Stamps new tenant-owned rows with the tenant in scope and refuses a change or delete of another tenant's row, so
/// no code path can write across tenants by building an entity by hand. Add it to every context with tenant-owned rows.
/// </summary>
public sealed class TenantStampingInterceptor : SaveChangesInterceptor
{
    public static readonly TenantStampingInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is not null) Stamp(eventData.Context.ChangeTracker);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not null) Stamp(eventData.Context.ChangeTracker);
        return ValueTask.FromResult(result);
    }

    private static void Stamp(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries<ITenantOwned>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    var tenant = TenantScope.Required();
                    if (string.IsNullOrEmpty(entry.Entity.TenantId)) entry.Entity.TenantId = tenant;
                    else if (entry.Entity.TenantId != tenant) throw new CrossTenantWriteException(entry.Metadata.ClrType.Name);
                    break;
                case EntityState.Modified:
                case EntityState.Deleted:
                    var original = entry.Property(x => x.TenantId).OriginalValue;
                    if (original != TenantScope.Required() || entry.Entity.TenantId != original)
                        throw new CrossTenantWriteException(entry.Metadata.ClrType.Name);
                    break;
            }
        }
    }
}
