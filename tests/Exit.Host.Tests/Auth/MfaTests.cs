using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Host.Features.Account.Mfa;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// Two-step sign-in on the real Host with its default settings (MFA required for admin, manager, supervisor and
/// coordinator): codes are computed here from the key the enrolment page shows (RFC 6238), not by Identity.
/// </summary>
public sealed partial class MfaTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly ExitHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Manager_WithAPasswordOnly_IsSentToEnrolment_AndCanDoNothingElseUntilEnrolled()
    {
        await CreateUserAsync("leder.mfa@test.dk", ExitRoles.Manager);
        var client = _host.CreateClientAs(null);

        var signIn = await SignInAsync(client, "leder.mfa@test.dk", Password, "/manager/overdue");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith(MfaSetupPage.Path, signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var api = await client.GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/account/token", new { })).StatusCode);
        var page = await client.GetAsync("/manager/overdue");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith(MfaSetupPage.Path, page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var studio = await client.GetAsync("/studio/");
        Assert.StartsWith(MfaSetupPage.Path, studio.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var setup = await client.GetStringAsync(MfaSetupPage.Path);
        Assert.Contains("Din rolle logger ind med en kode", setup, StringComparison.Ordinal);
        Assert.Matches("otpauth://totp/Exit:leder.mfa%40test.dk\\?secret=[A-Z2-7]+&amp;issuer=Exit", setup);
    }

    [Fact]
    public async Task Enrolment_ChecksACodeFirst_ThenShowsRecoveryCodes_AndTheNextSignInAsksForTheCode()
    {
        var user = await CreateUserAsync("koordinator.mfa@test.dk", ExitRoles.Coordinator);
        var client = _host.CreateClientAs(null);
        await SignInAsync(client, "koordinator.mfa@test.dk", Password);
        var key = await EnrolmentKeyAsync(client);

        var wrong = await PostFormAsync(client, MfaSetupPage.Path, new() { ["code"] = WrongCode(key) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Koden passer ikke", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await TwoFactorEnabledAsync(user.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/account/me")).StatusCode);

        var right = await PostFormAsync(client, MfaSetupPage.Path, new() { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var codes = RecoveryCodes(await right.Content.ReadAsStringAsync());
        Assert.Equal(MfaSetupPage.RecoveryCodeCount, codes.Count);
        Assert.True(await TwoFactorEnabledAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);

        // A new session: the password leads to the second step, not into the service.
        var next = _host.CreateClientAs(null);
        var password = await SignInAsync(next, "koordinator.mfa@test.dk", Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Equal(MfaSignInPage.Path + "?returnUrl=%2Fapi%2Faccount%2Fme", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await next.GetAsync("/api/account/me")).StatusCode);
        var bad = await PostFormAsync(next, MfaSignInPage.Path, new() { ["code"] = WrongCode(key), ["returnUrl"] = "/api/account/me" });
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await next.GetAsync("/api/account/me")).StatusCode);
        var good = await PostFormAsync(next, MfaSignInPage.Path, new() { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow), ["returnUrl"] = "/api/account/me" });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("/api/account/me", good.Headers.Location!.OriginalString);
        var me = await next.GetFromJsonAsync<JsonObject>("/api/account/me");
        Assert.Equal("koordinator.mfa@test.dk", (string?)me!["name"]);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce_AndNotTwice()
    {
        await CreateUserAsync("supervisor.mfa@test.dk", ExitRoles.Supervisor);
        var codes = await EnrolAsync("supervisor.mfa@test.dk");

        var first = _host.CreateClientAs(null);
        await SignInAsync(first, "supervisor.mfa@test.dk", Password);
        var used = await PostFormAsync(first, MfaSignInPage.Path, new() { ["code"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/account/me")).StatusCode);

        var second = _host.CreateClientAs(null);
        await SignInAsync(second, "supervisor.mfa@test.dk", Password);
        var again = await PostFormAsync(second, MfaSignInPage.Path, new() { ["code"] = codes[0] });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/account/me")).StatusCode);
        var other = await PostFormAsync(second, MfaSignInPage.Path, new() { ["code"] = codes[1] });
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task Worker_WithoutMfa_SignsInWithThePassword_AndMayEnrol()
    {
        await CreateUserAsync("medarbejder.mfa@test.dk", ExitRoles.Worker);
        var client = _host.CreateClientAs(null);

        var signIn = await SignInAsync(client, "medarbejder.mfa@test.dk", Password);

        Assert.Equal("/api/account/me", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        var setup = await client.GetStringAsync(MfaSetupPage.Path);
        Assert.DoesNotContain("Din rolle logger ind med en kode", setup, StringComparison.Ordinal);
        Assert.Contains("otpauth://totp/", setup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminReset_TurnsMfaOff_IsAudited_AndTheUserMustEnrolAgain()
    {
        var user = await CreateUserAsync("admin.mfa@test.dk", ExitRoles.Admin);
        var codes = await EnrolAsync("admin.mfa@test.dk");
        var admin = _host.CreateClientAs(ExitRoles.Admin);

        var reset = await admin.PostAsync($"/api/admin/users/{user.Id}/mfa/reset", null);
        var unknown = await admin.PostAsync("/api/admin/users/no-such-user/mfa/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(await TwoFactorEnabledAsync(user.Id));
        using (var scope = _host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.ResourceType == "user-mfa" && a.ResourceId == user.Id && a.Purpose == "mfa-reset");
            Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Admin), entry.UserName);
        }

        var client = _host.CreateClientAs(null);
        var signIn = await SignInAsync(client, "admin.mfa@test.dk", Password);
        Assert.StartsWith(MfaSetupPage.Path, signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The old recovery codes went with the reset.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/users")).StatusCode);
        Assert.NotEmpty(codes);
    }

    [Fact]
    public void Requirement_IsOnByDefault_OffInDemoMode_AndConfigurable()
    {
        static MfaRequirement For(params (string Key, string Value)[] settings) =>
            MfaRequirement.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

        Assert.True(For().Enabled);
        Assert.False(For(("Exit:Demo", "true")).Enabled);
        Assert.True(For(("Exit:Demo", "true"), ("Exit:Auth:RequireMfa", "true")).Enabled);
        Assert.False(For(("Exit:Auth:RequireMfa", "false")).Enabled);
        Assert.True(For().IsRequiredFor([ExitRoles.Worker, ExitRoles.Supervisor]));
        Assert.False(For().IsRequiredFor([ExitRoles.Worker]));
    }

    private async Task<List<string>> EnrolAsync(string email)
    {
        var client = _host.CreateClientAs(null);
        await SignInAsync(client, email, Password);
        var key = await EnrolmentKeyAsync(client);
        var response = await PostFormAsync(client, MfaSetupPage.Path, new() { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return RecoveryCodes(await response.Content.ReadAsStringAsync());
    }

    private async Task<IdentityUser> CreateUserAsync(string email, params string[] roles)
    {
        using var scope = _host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user;
    }

    private async Task<bool> TwoFactorEnabledAsync(string userId)
    {
        using var scope = _host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(userId))!);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string returnUrl = "/api/account/me") =>
        PostFormAsync(client, "/account/login", new() { ["email"] = email, ["password"] = password, ["returnUrl"] = returnUrl });

    /// <summary>GETs the form's page for its antiforgery token, then posts the form with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = TokenField().Match(page);
        Assert.True(token.Success, $"{path} has an antiforgery field");
        fields[WebUtility.HtmlDecode(token.Groups["name"].Value)] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static async Task<string> EnrolmentKeyAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(MfaSetupPage.Path);
        var secret = Secret().Match(page);
        Assert.True(secret.Success, "the enrolment page shows an otpauth address");
        return secret.Groups[1].Value;
    }

    /// <summary>A six-digit code that is valid neither now nor in the neighbouring time steps Identity accepts.</summary>
    private static string WrongCode(string key)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = Enumerable.Range(-3, 7).Select(i => Totp.Code(key, now.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => (123456 + i * 7919 % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private static List<string> RecoveryCodes(string page) =>
        [.. RecoveryCode().Matches(page[page.IndexOf("data-testid=\"recovery-codes\"", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex Secret();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
