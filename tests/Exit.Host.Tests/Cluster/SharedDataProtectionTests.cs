using System.Security.Claims;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Exit.Host.Tests.Cluster;

/// <summary>
/// Several hosts on one database share the data-protection keys (they are stored in it), so the sign-in cookie one host
/// issues is read by another; a host on another database cannot read it.
/// </summary>
[RequiresPostgres]
public sealed class SharedDataProtectionTests
{
    [DatabaseFact]
    public async Task SignInCookie_IssuedByHostA_IsReadByHostB_NotByAHostOfAnotherDatabase()
    {
        await using var shared = await PostgresTestDatabase.CreateAsync();
        await using var other = await PostgresTestDatabase.CreateAsync();
        await using var a = new ExitHostFactory(postgresConnectionString: shared.Options.ConnectionString);
        using (a.CreateClient()) { } // started: its key is in the database now
        await using var b = new ExitHostFactory(postgresConnectionString: shared.Options.ConnectionString);
        using (b.CreateClient()) { }
        await using var stranger = new ExitHostFactory(postgresConnectionString: other.Options.ConnectionString);
        using (stranger.CreateClient()) { }

        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-1"), new Claim(ClaimTypes.Name, "medarbejder")], IdentityConstants.ApplicationScheme));
        var cookie = CookieFormat(a).Protect(new AuthenticationTicket(principal, IdentityConstants.ApplicationScheme));

        var read = CookieFormat(b).Unprotect(cookie);
        Assert.NotNull(read);
        Assert.Equal("user-1", read.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Null(CookieFormat(stranger).Unprotect(cookie));
    }

    private static ISecureDataFormat<AuthenticationTicket> CookieFormat(ExitHostFactory host) =>
        host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;
}
