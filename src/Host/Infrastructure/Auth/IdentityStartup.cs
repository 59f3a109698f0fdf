using Exit.Host.Infrastructure.Configuration;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Start-up work for the identity store (run as an <c>IStoreMigration</c>): migrate, make sure the five roles
/// exist, create the demo users when Exit:Demo is on, and say how to create the first user when there is none.
/// Never creates a user with a known password outside demo mode, and removes the demo users when demo mode is off.
/// Also seals the audit chain once when its migration is applied, and checks the chain's tail at every start.
/// </summary>
public static partial class IdentityStartup
{
    /// <summary>The one demo password (README "Users, roles and sign-in"). Demo mode only.</summary>
    public const string DemoPassword = "Exit-demo-2026";

    /// <summary>The demo users of each demo municipality, by the part of their e-mail before the @.</summary>
    private static readonly (string LocalPart, string[] Roles)[] DemoStaff =
    [
        ("koordinator", [ExitRoles.Coordinator]),
        ("medarbejder1", [ExitRoles.Worker]),
        ("medarbejder2", [ExitRoles.Worker]),
        ("leder", [ExitRoles.Manager]),
        ("supervisor", [ExitRoles.Supervisor]),
        ("admin", [ExitRoles.Admin]),
        ("frivillig1", [ExitRoles.Volunteer]),
    ];

    /// <summary>
    /// Every demo user: the same staff in each demo municipality (<see cref="Demo.DemoMunicipalities"/>), and the
    /// national user, who belongs to no municipality.
    /// </summary>
    public static readonly IReadOnlyList<(string Email, string[] Roles, string? Municipality)> DemoUsers =
    [
        .. Demo.DemoMunicipalities.All.SelectMany(m => DemoStaff.Select(s => (Demo.DemoMunicipalities.Email(s.LocalPart, m.Id), s.Roles, (string?)m.Id))),
        (Demo.DemoMunicipalities.NationalUser, [ExitRoles.National], null),
    ];

    /// <summary>Entries checked by the start-up audit-chain check unless Exit:Audit:ChainCheckTail says otherwise.</summary>
    public const int DefaultChainCheckTail = 1000;

    /// <summary>
    /// Migrates and prepares the identity store. <paramref name="serviceStart"/> is false for the create-user
    /// command: it neither announces a missing user nor adds or removes demo users.
    /// </summary>
    public static async Task MigrateIdentityAsync(this IServiceProvider services, CancellationToken ct, bool serviceStart = true)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<ExitIdentityDbContext>();
        // Asking for pending migrations reads the history table: create it first, or a fresh PostgreSQL logs an error.
        await db.Database.CreateHistoryTableIfMissingAsync(ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        var sealChain = pending.Contains(Migrations.AuditKeyIdAndChain.Id);
        // Nothing pending: EF is not asked, as MigrationHistory.MigrateWithoutProbeErrorAsync explains (a service role may not create).
        if (pending.Count > 0) await db.Database.MigrateAsync(ct);
        // Every entry from before the chain belongs to the first municipality (the municipality migration ran too).
        if (sealChain)
        {
            using (TenantScope.Enter(TenantIds.Default))
                await Audit.AuditChain.SealUnchainedAsync(db, ct);
        }

        await EnsureRolesAsync(provider.GetRequiredService<RoleManager<IdentityRole>>());

        var configuration = provider.GetRequiredService<IConfiguration>();
        await Tenancy.MunicipalitySetup.ApplyAsync(db, configuration, ct);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdentityStartup).FullName!);
        if (!serviceStart) return;

        await CheckAuditChainsAsync(db, configuration.GetValue("Exit:Audit:ChainCheckTail", DefaultChainCheckTail), logger, ct);
        // This process's audit lane, drawn before any work commits (the runtime's commits read it without a round trip).
        if (provider.GetService<Audit.AuditLane>() is { } lane) await lane.DrawAsync(db, ct);
        var users = provider.GetRequiredService<UserManager<IdentityUser>>();
        if (configuration.GetValue<bool>("Exit:Demo"))
        {
            if (await HasNonDemoUsersAsync(db, ct))
                throw new StartupRefusedException(
                    "Demo mode (--demo, Exit:Demo) refuses to start on this database: it has users that are not demo users, " +
                    "so it may hold real data, and demo mode creates users with a published password. Start without --demo.");
            var clock = provider.GetRequiredService<TimeProvider>();
            foreach (var (id, name) in Demo.DemoMunicipalities.All) await Tenancy.MunicipalitySetup.EnsureAsync(db, id, name, clock, ct);
            var created = await CreateDemoUsersAsync(provider.GetRequiredService<Tenancy.UserMunicipalities>(), users);
            if (created > 0) LogDemoUsers(logger, created);
        }
        else
        {
            var removed = await RemoveDemoUsersAsync(db, users, ct);
            if (removed > 0) LogDemoUsersRemoved(logger, removed);
        }

        if (!await db.Users.AnyAsync(ct)) LogNoUsers(logger);
    }

    public static bool IsDemoUser(IdentityUser user) =>
        DemoUsers.Any(d => string.Equals(d.Email, user.Email, StringComparison.OrdinalIgnoreCase));

    private static async Task<bool> HasNonDemoUsersAsync(ExitIdentityDbContext db, CancellationToken ct)
    {
        var demo = DemoUsers.Select(d => d.Email.ToUpperInvariant()).ToList();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == null || !demo.Contains(u.NormalizedEmail), ct);
    }

    /// <summary>Demo mode is off: the demo users (known password) go, and with them their API keys.</summary>
    private static async Task<int> RemoveDemoUsersAsync(ExitIdentityDbContext db, UserManager<IdentityUser> users, CancellationToken ct)
    {
        var removed = 0;
        foreach (var (email, _, _) in DemoUsers)
        {
            if (await users.FindByEmailAsync(email) is not { } user) continue;
            // Start-up, no scope: the user's keys in whichever municipality, each removed inside its own.
            var keys = await db.ApiKeys.IgnoreQueryFilters().Where(k => k.OwnerUserId == user.Id).ToListAsync(ct);
            foreach (var key in keys)
            {
                using (TenantScope.Enter(key.TenantId))
                {
                    db.ApiKeys.Remove(key);
                    await db.SaveChangesAsync(ct);
                }
            }

            var result = await users.DeleteAsync(user);
            if (!result.Succeeded) throw new InvalidOperationException($"Could not remove a demo user: {Describe(result)}");
            removed++;
        }

        return removed;
    }

    /// <summary>
    /// Verifies the newest entries of each municipality's audit chain (and the national scope's); a break is logged
    /// (ids only) and does not stop the service.
    /// </summary>
    private static async Task CheckAuditChainsAsync(ExitIdentityDbContext db, int tail, ILogger logger, CancellationToken ct)
    {
        if (tail <= 0) return;
        var tenants = await db.Municipalities.AsNoTracking().Select(m => m.Id).ToListAsync(ct);
        foreach (var tenant in tenants.Append(TenantIds.Templates))
        {
            using (TenantScope.Enter(tenant))
            {
                var result = await Audit.AuditChain.VerifyAsync(db, tail, ct);
                if (!result.Intact) LogAuditChainBroken(logger, tenant, result.FirstBrokenId, result.Checked);
            }
        }
    }

    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in ExitRoles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var result = await roles.CreateAsync(new IdentityRole(role));
            if (!result.Succeeded && !await roles.RoleExistsAsync(role))
                throw new InvalidOperationException($"Could not create role {role}: {Describe(result)}");
        }
    }

    private static async Task<int> CreateDemoUsersAsync(Tenancy.UserMunicipalities municipalities, UserManager<IdentityUser> users)
    {
        var created = 0;
        foreach (var (email, roles, municipality) in DemoUsers)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            var result = await municipalities.CreateAsync(user, DemoPassword, municipality);
            if (result.Succeeded) result = await users.AddToRolesAsync(user, roles);
            if (!result.Succeeded) throw new InvalidOperationException($"Could not create a demo user: {Describe(result)}");
            created++;
        }

        return created;
    }

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No users exist yet, so nobody can sign in. Create an administrator with: " +
        "dotnet run --project src/Host -- create-user --email <address> --role admin " +
        "(the password is read from the environment variable EXIT_NEW_USER_PASSWORD, or from standard input).")]
    private static partial void LogNoUsers(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode is off: removed {Count} demo users and their API keys")]
    private static partial void LogDemoUsersRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log's hash chain of {TenantId} is broken at entry {EntryId} ({Checked} newest entries checked): an entry was changed, removed or reordered in the database")]
    private static partial void LogAuditChainBroken(ILogger logger, string tenantId, long? entryId, long @checked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode: created {Count} demo users with the documented demo password. Never use --demo with real data.")]
    private static partial void LogDemoUsers(ILogger logger, int count);
}
