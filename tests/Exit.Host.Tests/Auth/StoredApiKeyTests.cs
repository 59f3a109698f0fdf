using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// A stored key with an owner is read with its owner on every request (one statement): the owner's deletion, lock-out,
/// roles and municipality as the database holds them at that request decide it; a key with an owner may not outlive or
/// outrank them.
/// </summary>
public sealed class StoredApiKeyTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task KeyOfAnOwner_ActsAsTheOwnerWithOnlyTheKeysRolesTheOwnerHolds()
    {
        var owner = await host.CreateUserAsync("stored.subset@test.dk", Password, ExitRoles.Worker, ExitRoles.Manager, ExitRoles.Coordinator);
        var (_, key) = await CreateKeyAsync("subset-key", owner.Id, ExitRoles.Worker, ExitRoles.Manager);

        var me = await key.GetFromJsonAsync<JsonObject>("/api/account/me");

        Assert.Equal(owner.Id, (string?)me!["id"]);
        Assert.Equal("stored.subset@test.dk", (string?)me["name"]);
        Assert.Equal([ExitRoles.Manager, ExitRoles.Worker], me["roles"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task KeyOfADeletedOwner_Answers401()
    {
        var owner = await host.CreateUserAsync("stored.deleted@test.dk", Password, ExitRoles.Worker);
        var (_, key) = await CreateKeyAsync("deleted-owner-key", owner.Id, ExitRoles.Worker);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/account/me")).StatusCode);

        using (var scope = host.Host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByIdAsync(owner.Id))!)).Succeeded);
        }

        var response = await key.GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task KeyOfAnOwner_LockedOut_Answers401_AndWorksAgainOnceUnlocked()
    {
        var owner = await host.CreateUserAsync("stored.locked@test.dk", Password, ExitRoles.Worker);
        var (_, key) = await CreateKeyAsync("locked-owner-key", owner.Id, ExitRoles.Worker);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/account/me")).StatusCode);

        await WithUserAsync(owner.Id, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/account/me")).StatusCode);

        var unlocked = await host.Host.CreateClientAs(ExitRoles.Admin).PostAsJsonAsync($"/api/admin/users/{owner.Id}/unlock", new { });
        Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task KeyOfAnOwner_WhoseLockOutHasEnded_Authenticates()
    {
        var owner = await host.CreateUserAsync("stored.lock-ended@test.dk", Password, ExitRoles.Worker);
        var (_, key) = await CreateKeyAsync("lock-ended-key", owner.Id, ExitRoles.Worker);

        await WithUserAsync(owner.Id, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task KeyOfAnOwner_MovedToAnotherMunicipality_RunsTheNextRequestThere()
    {
        var national = await host.Host.CreateClientAs(ExitRoles.National).PostAsJsonAsync("/api/municipalities", new { id = TestApiKeys.OtherMunicipality, name = "Aarhus" });
        Assert.True(national.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating the municipality answered {national.StatusCode}");
        var owner = await host.CreateUserAsync("stored.moved@test.dk", Password, ExitRoles.Worker, ExitRoles.Manager);
        var (_, key) = await CreateKeyAsync("moved-owner-key", owner.Id, ExitRoles.Worker, ExitRoles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/cti/outcome-report")).StatusCode);

        using (var scope = host.Host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            var user = await db.Users.SingleAsync(u => u.Id == owner.Id);
            db.Entry(user).Property<string?>(UserMunicipalities.Column).CurrentValue = TestApiKeys.OtherMunicipality;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/cti/outcome-report")).StatusCode);

        // Each request's audit entry is written in the municipality the request ran in.
        using (var scope = host.Host.Services.CreateScope())
        {
            var entries = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.UserId == owner.Id && e.ResourceType == "CtiOutcomeReport").OrderBy(e => e.Id).Select(e => e.TenantId).ToListAsync();
            Assert.Equal([Exit.Workflows.Tenancy.TenantIds.Default, TestApiKeys.OtherMunicipality], entries);
        }
    }

    [Fact]
    public async Task KeyOfAnOwner_Revoked_Answers401()
    {
        var owner = await host.CreateUserAsync("stored.revoked@test.dk", Password, ExitRoles.Worker);
        var (id, key) = await CreateKeyAsync("revoked-owner-key", owner.Id, ExitRoles.Worker);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/account/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Host.CreateClientAs(ExitRoles.Admin).DeleteAsync($"/api/admin/api-keys/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/account/me")).StatusCode);
    }

    private async Task<(string Id, HttpClient Client)> CreateKeyAsync(string name, string ownerUserId, params string[] roles)
    {
        var created = await host.Host.CreateClientAs(ExitRoles.Admin).PostAsJsonAsync("/api/admin/api-keys", new { name, roles, ownerUserId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var client = host.Host.CreateClientAs(null);
        client.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, (string)body["key"]!);
        return ((string)body["id"]!, client);
    }

    private async Task WithUserAsync(string userId, Func<UserManager<IdentityUser>, IdentityUser, Task<IdentityResult>> change)
    {
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.True((await change(users, (await users.FindByIdAsync(userId))!)).Succeeded);
    }
}
