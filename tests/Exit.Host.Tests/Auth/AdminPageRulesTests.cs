using System.Net;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// The admin pages follow the admin API's rules, because both call the same services: no admin grants roles to
/// themselves, a key carries only roles its owner holds, and each refusal is audited and stores nothing.
/// </summary>
public sealed partial class AdminPageRulesTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task AnAdmin_GrantingRolesToThemselves_OnTheUsersPage_IsRefused_InDanish_AndAudited()
    {
        var admin = await host.CreateUserAsync($"admin.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Admin);
        var session = await SignedInAsync(admin.Email!);

        var response = await PostAsync(session, "/admin/users?handler=Roles",
            [new("UserId", admin.Id), new("Roles", ExitRoles.Admin), new("Roles", ExitRoles.Manager), new("Roles", ExitRoles.Worker)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Du kan ikke ændre dine egne roller", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal([ExitRoles.Admin], await users.GetRolesAsync((await users.FindByIdAsync(admin.Id))!));
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.ResourceType == "user" && e.ResourceId == admin.Id && e.Outcome == AuditOutcome.Denied && e.UserId == admin.Id));
    }

    [Fact]
    public async Task AnAdmin_ChangesAnotherUsersRoles_OnTheUsersPage_AndTheChangeIsAudited()
    {
        var admin = await host.CreateUserAsync($"admin.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Admin);
        var worker = await host.CreateUserAsync($"worker.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Worker);
        var session = await SignedInAsync(admin.Email!);

        var response = await PostAsync(session, "/admin/users?handler=Roles", [new("UserId", worker.Id), new("Roles", ExitRoles.Supervisor)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Rollerne for " + worker.Email + " er gemt", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal([ExitRoles.Supervisor], await users.GetRolesAsync((await users.FindByIdAsync(worker.Id))!));
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.ResourceType == "user" && e.ResourceId == worker.Id && e.Outcome == AuditOutcome.Allowed && e.UserId == admin.Id));
    }

    [Fact]
    public async Task AKey_WithRolesItsOwnerDoesNotHold_IsRefusedOnTheKeysPage_AndNothingIsStored()
    {
        var admin = await host.CreateUserAsync($"admin.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Admin);
        var worker = await host.CreateUserAsync($"worker.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Worker);
        var session = await SignedInAsync(admin.Email!);
        var name = "nøgle-" + Guid.NewGuid().ToString("N")[..8];

        var response = await PostAsync(session, "/admin/api-keys?handler=Create",
            [new("Name", name), new("OwnerUserId", worker.Id), new("Roles", ExitRoles.Worker), new("Roles", ExitRoles.Manager)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Ejeren har ikke rollen leder", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var scope = host.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == name));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.ResourceType == "api-key" && e.Outcome == AuditOutcome.Denied && e.UserId == admin.Id));
    }

    [Fact]
    public async Task NonAdmins_AreRefusedTheAdminPages()
    {
        var manager = await host.CreateUserAsync($"leder.{Guid.NewGuid():N}@test.dk", Password, ExitRoles.Manager);
        var session = await SignedInAsync(manager.Email!);

        foreach (var path in new[] { "/admin/users", "/admin/api-keys", "/admin/audit", "/admin/audit/citizen" })
        {
            var response = await session.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden
                || response.Headers.Location?.OriginalString.Contains(ExitAuthentication.AccessDeniedPath, StringComparison.Ordinal) == true, $"{path}: {response.StatusCode}");
        }
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = host.Host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(client, email, Password)).StatusCode);
        return client;
    }

    /// <summary>Posts a form with the antiforgery token the page itself renders for this session.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient session, string url, List<KeyValuePair<string, string>> fields)
    {
        var page = await session.GetStringAsync(url[..url.IndexOf('?', StringComparison.Ordinal)]);
        var token = TokenField().Match(page);
        Assert.True(token.Success, "the admin page renders an antiforgery token");
        fields.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups["value"].Value)));
        return await session.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
