using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14, item 5: Studio's bearer tokens are short-lived, valid on /elsa/api only, and end with the user's
/// security stamp (sign-out, role change) or a lockout.
/// </summary>
public sealed partial class BearerTokenTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Token_LastsAtMostThirtyMinutes_AndIsRefusedOnTheRestOfTheApi()
    {
        var (_, bearer, expiresAt) = await SignedInWithTokenAsync("token.scope@test.dk", ExitRoles.Manager);

        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        var me = await bearer.GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("application/problem+json", me.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/cti/outcome-report")).StatusCode);
    }

    [Fact]
    public void Lifetime_LongerThanThirtyMinutes_IsAConfigurationProblem()
    {
        Assert.Null(new ExitAuthOptions().Problem());
        Assert.Contains("BearerTokenLifetime", new ExitAuthOptions { BearerTokenLifetime = TimeSpan.FromHours(8) }.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningOut_EndsTheToken()
    {
        var (cookie, bearer, _) = await SignedInWithTokenAsync("token.signout@test.dk", ExitRoles.Coordinator);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);

        var page = await cookie.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page);
        var signOut = await cookie.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
    }

    [Fact]
    public async Task ARoleChange_EndsTheToken()
    {
        var (_, bearer, _) = await SignedInWithTokenAsync("token.roles@test.dk", ExitRoles.Coordinator);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        var id = await UserIdAsync("token.roles@test.dk");

        var changed = await host.Host.CreateClientAs(ExitRoles.Admin).PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { ExitRoles.Worker } });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
    }

    [Fact]
    public async Task ALockout_EndsTheToken()
    {
        var (_, bearer, _) = await SignedInWithTokenAsync("token.lockout@test.dk", ExitRoles.Coordinator);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);

        using (var scope = host.Host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync("token.lockout@test.dk"))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
    }

    [Fact]
    public async Task StudioPage_CarriesAToken_AndWhereToRenewIt()
    {
        var (cookie, _, _) = await SignedInWithTokenAsync("token.studio@test.dk", ExitRoles.Coordinator);

        var page = await cookie.GetStringAsync("/studio/");

        var provider = ProviderElement().Match(page);
        Assert.True(provider.Success, "the Studio page has an elsa-backend-provider with a token and a renewal address");
        Assert.Equal("/api/account/token", provider.Groups["url"].Value);
        Assert.InRange(long.Parse(provider.Groups["ms"].Value, System.Globalization.CultureInfo.InvariantCulture), 1000, 15 * 60 * 1000);
        // What the page's script does every interval: a fresh token from the cookie session, which works on the Elsa API.
        var renewed = await cookie.PostAsJsonAsync(provider.Groups["url"].Value, new { });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var bearer = host.Host.CreateClientAs(null);
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await renewed.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
    }

    private async Task<(HttpClient Cookie, HttpClient Bearer, DateTimeOffset ExpiresAt)> SignedInWithTokenAsync(string email, string role)
    {
        await host.CreateUserAsync(email, Password, role);
        var cookie = host.Host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(cookie, email, Password)).StatusCode);
        var response = await cookie.PostAsJsonAsync("/api/account/token", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var bearer = host.Host.CreateClientAs(null);
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", (string)token["accessToken"]!);
        return (cookie, bearer, token["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = host.Host.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email))!.Id;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<elsa-backend-provider [^>]*access-token=\"[^\"]+\" data-exit-token-url=\"(?<url>[^\"]+)\" data-exit-token-renew-ms=\"(?<ms>\\d+)\"")]
    private static partial Regex ProviderElement();
}
