using Microsoft.AspNetCore.Identity;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// <c>dotnet run --project src/Host -- create-user --email a@b.dk --role admin [--role manager] [--municipality aarhus]</c>:
/// migrates the identity store, creates the user with the password from <c>EXIT_NEW_USER_PASSWORD</c> (or standard
/// input) in the municipality (default: the first, <c>default</c>; it must exist) and exits. The national role is held
/// alone and belongs to no municipality. Nothing is printed but the outcome; the password is never echoed.
/// </summary>
public static class CreateUserCommand
{
    public const string Name = "create-user";
    public const string PasswordVariable = "EXIT_NEW_USER_PASSWORD";

    public sealed record Arguments(string Email, IReadOnlyList<string> Roles, string? Municipality = Exit.Workflows.Tenancy.TenantIds.Default);

    /// <summary>Splits the command's own arguments from those the host builder should see.</summary>
    public static bool TryTake(string[] args, out Arguments? command, out string[] hostArgs, out string? error)
    {
        command = null;
        error = null;
        hostArgs = args;
        if (args.Length == 0 || args[0] != Name) return false;

        string? email = null;
        string? municipality = null;
        var roles = new List<string>();
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "--email" && i + 1 < args.Length) email = args[++i];
            else if (args[i] is "--role" && i + 1 < args.Length) roles.Add(args[++i]);
            else if (args[i] is "--municipality" && i + 1 < args.Length) municipality = args[++i].Trim();
            else rest.Add(args[i]);
        }

        hostArgs = [.. rest];
        if (string.IsNullOrWhiteSpace(email)) error = "--email is required.";
        else if (roles.Count == 0) error = $"At least one --role is required: {string.Join(", ", ExitRoles.All)}.";
        else if (roles.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown) error = $"Unknown role '{unknown}'; use {string.Join(", ", ExitRoles.All)}.";
        else if (roles.Contains(ExitRoles.National) && roles.Distinct().Count() > 1) error = "The national role is held alone: it sees no citizen data and belongs to no municipality.";
        else if (roles.Contains(ExitRoles.National) && municipality is not null) error = "A national user belongs to no municipality: leave out --municipality.";
        else if (municipality is not null && (!Exit.Workflows.Tenancy.TenantIds.IsValid(municipality) || municipality == Exit.Workflows.Tenancy.TenantIds.Templates))
            error = $"'{municipality}' is not a municipality id.";
        var national = roles.Contains(ExitRoles.National);
        command = new Arguments(email?.Trim() ?? "", roles, national ? null : municipality ?? Exit.Workflows.Tenancy.TenantIds.Default);
        return true;
    }

    public static async Task<int> RunAsync(IServiceProvider services, Arguments command, TextReader input, TextWriter output)
    {
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (!Console.IsInputRedirected) await output.WriteAsync("Password: ");
            password = Console.IsInputRedirected ? await input.ReadLineAsync() : ReadHidden();
            if (!Console.IsInputRedirected) await output.WriteLineAsync();
        }

        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync($"No password: set {PasswordVariable} or write it on standard input.");
            return 2;
        }

        await services.MigrateIdentityAsync(CancellationToken.None, serviceStart: false);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (command.Municipality is { } municipality
            && await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().Municipalities.FindAsync(municipality) is null)
        {
            await output.WriteLineAsync($"The user was not created: there is no municipality '{municipality}' (the national role creates municipalities: POST /api/municipalities).");
            return 1;
        }

        var user = new IdentityUser { UserName = command.Email, Email = command.Email, EmailConfirmed = true };
        var result = await scope.ServiceProvider.GetRequiredService<Tenancy.UserMunicipalities>().CreateAsync(user, password, command.Municipality);
        if (result.Succeeded) result = await users.AddToRolesAsync(user, command.Roles.Distinct());
        if (!result.Succeeded)
        {
            await output.WriteLineAsync("The user was not created: " + IdentityStartup.Describe(result));
            return 1;
        }

        await output.WriteLineAsync($"Created user {command.Email} (id {user.Id}) with role(s) {string.Join(", ", command.Roles.Distinct())}" +
                                    (command.Municipality is { } m ? $" in municipality {m}." : ", in no municipality (national)."));
        return 0;
    }

    private static string ReadHidden()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) return text.ToString();
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
    }
}
