using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Start-up work for the identity store (run as an <c>IStoreMigration</c>): migrate, make sure the five roles
/// exist, create the demo users when Exit:Demo is on, and say how to create the first user when there is none.
/// Never creates a user with a known password outside demo mode.
/// </summary>
public static partial class IdentityStartup
{
    /// <summary>The one demo password (README "Users, roles and sign-in"). Demo mode only.</summary>
    public const string DemoPassword = "Exit-demo-2026";

    public static readonly IReadOnlyList<(string Email, string[] Roles)> DemoUsers =
    [
        ("koordinator@exit.demo", [ExitRoles.Coordinator]),
        ("medarbejder1@exit.demo", [ExitRoles.Worker]),
        ("medarbejder2@exit.demo", [ExitRoles.Worker]),
        ("leder@exit.demo", [ExitRoles.Manager]),
        ("supervisor@exit.demo", [ExitRoles.Supervisor]),
        ("admin@exit.demo", [ExitRoles.Admin]),
    ];

    public static async Task MigrateIdentityAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<ExitIdentityDbContext>();
        await db.Database.MigrateAsync(ct);
        await EnsureRolesAsync(provider.GetRequiredService<RoleManager<IdentityRole>>());

        var configuration = provider.GetRequiredService<IConfiguration>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdentityStartup).FullName!);
        if (configuration.GetValue<bool>("Exit:Demo"))
        {
            var created = await CreateDemoUsersAsync(provider.GetRequiredService<UserManager<IdentityUser>>());
            if (created > 0) LogDemoUsers(logger, created);
        }

        if (!await db.Users.AnyAsync(ct)) LogNoUsers(logger);
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

    private static async Task<int> CreateDemoUsersAsync(UserManager<IdentityUser> users)
    {
        var created = 0;
        foreach (var (email, roles) in DemoUsers)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            var result = await users.CreateAsync(user, DemoPassword);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode: created {Count} demo users with the documented demo password. Never use --demo with real data.")]
    private static partial void LogDemoUsers(ILogger logger, int count);
}
