using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

public sealed class SignInTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task SignIn_WithTheRightPassword_SetsAnHttpOnlyCookieThatAuthenticatesTheApi()
    {
        await host.CreateUserAsync("leder.signin@test.dk", Password, ExitRoles.Manager);
        var client = host.Host.CreateClientAs(null);

        var response = await AuthHost.SignInAsync(client, "leder.signin@test.dk", Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/account/me", response.Headers.Location?.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("exit.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var me = await client.GetFromJsonAsync<JsonObject>("/api/account/me");
        Assert.Equal("leder.signin@test.dk", (string?)me!["name"]);
        Assert.Equal(ExitRoles.Manager, (string?)me["roles"]![0]);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountAndTheRightPasswordNoLongerWorks()
    {
        var user = await host.CreateUserAsync("medarbejder.lockout@test.dk", Password, ExitRoles.Worker);
        var client = host.Host.CreateClientAs(null);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await AuthHost.SignInAsync(client, "medarbejder.lockout@test.dk", "wrong password " + i)).StatusCode);
        var afterLockout = await AuthHost.SignInAsync(client, "medarbejder.lockout@test.dk", Password);

        Assert.Equal(HttpStatusCode.Unauthorized, afterLockout.StatusCode);
        Assert.DoesNotContain(afterLockout.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("exit.auth=", StringComparison.Ordinal)));
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_SameAnswerAsAWrongPassword()
    {
        var client = host.Host.CreateClientAs(null);

        var response = await AuthHost.SignInAsync(client, "nobody@test.dk", Password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Log ind mislykkedes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAForeignReturnUrl_StaysOnThisSite()
    {
        Assert.Null(Exit.Host.Features.Account.LoginPage.SafeReturnUrl("//evil.example/x"));
        Assert.Null(Exit.Host.Features.Account.LoginPage.SafeReturnUrl("/\\evil.example"));
        Assert.Null(Exit.Host.Features.Account.LoginPage.SafeReturnUrl("https://evil.example/"));
        Assert.Equal("/studio/", Exit.Host.Features.Account.LoginPage.SafeReturnUrl("/studio/"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Password_ShorterThanTwelveCharacters_IsRefused()
    {
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();

        var result = await users.CreateAsync(new IdentityUser { UserName = "short@test.dk", Email = "short@test.dk" }, "elevenchars");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "PasswordTooShort");
    }

    [Fact]
    public async Task Token_ForACookieUser_AuthenticatesTheElsaApiAsBearer()
    {
        await host.CreateUserAsync("koordinator.token@test.dk", Password, ExitRoles.Coordinator);
        var cookie = host.Host.CreateClientAs(null);
        await AuthHost.SignInAsync(cookie, "koordinator.token@test.dk", Password);

        var token = await (await cookie.PostAsJsonAsync("/api/account/token", new { })).Content.ReadFromJsonAsync<JsonObject>();
        var bearer = host.Host.CreateClientAs(null);
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", (string)token!["accessToken"]!);

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        // A token cannot be exchanged for a fresh one (no endless extension).
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.PostAsync("/api/account/token", null)).StatusCode);
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", "x" + (string)token["accessToken"]!);
        var refused = await bearer.GetAsync("/elsa/api/workflow-definitions");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}
