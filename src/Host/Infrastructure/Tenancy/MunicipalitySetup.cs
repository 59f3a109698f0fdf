using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>
/// Start-up settings of the municipality table: <c>Exit:Municipalities:DefaultName</c> names the first municipality
/// (<c>default</c>, "Kommunen" until named), so a single-municipality installation shows its own name.
/// </summary>
public static class MunicipalitySetup
{
    public const string DefaultNameSetting = "Exit:Municipalities:DefaultName";

    public static async Task ApplyAsync(ExitIdentityDbContext db, IConfiguration configuration, CancellationToken ct)
    {
        var name = configuration[DefaultNameSetting]?.Trim();
        if (string.IsNullOrEmpty(name)) return;
        if (name.Length > Municipality.MaxNameLength)
            throw new Configuration.StartupRefusedException($"{DefaultNameSetting} is longer than {Municipality.MaxNameLength} characters.");
        await RenameAsync(db, TenantIds.Default, name, ct);
    }

    /// <summary>Adds the municipality, or renames it when it exists.</summary>
    public static async Task EnsureAsync(ExitIdentityDbContext db, string id, string name, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Municipalities.FindAsync([id], ct) is { } existing)
        {
            existing.Name = name;
        }
        else
        {
            db.Municipalities.Add(new Municipality { Id = id, Name = name, CreatedAt = clock.GetUtcNow() });
        }

        await db.SaveChangesAsync(ct);
    }

    private static async Task RenameAsync(ExitIdentityDbContext db, string id, string name, CancellationToken ct) =>
        await db.Municipalities.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Name, name), ct);
}
