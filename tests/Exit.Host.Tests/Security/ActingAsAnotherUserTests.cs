using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14, item 1: an API key acts for its owner with at most the owner's current roles; nobody grants roles to
/// themselves; the audit log names the key; every admin action is audited.
/// </summary>
public sealed class ActingAsAnotherUserTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task AdminKeyForAWorker_WithManagerAndSupervisor_IsRefused400NamingRoles_AndNothingIsStored()
    {
        var worker = await host.CreateUserAsync("attack.worker@test.dk", Password, ExitRoles.Worker);
        var admin = host.Host.CreateClientAs(ExitRoles.Admin);

        var response = await admin.PostAsJsonAsync("/api/admin/api-keys", new
        {
            name = "act-as-worker", roles = new[] { ExitRoles.Worker, ExitRoles.Manager, ExitRoles.Supervisor }, ownerUserId = worker.Id,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["roles"]);
        Assert.False(await WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Name == "act-as-worker")));
        var refused = Assert.Single(await AuditAsync(e => e.ResourceType == "api-key" && e.Outcome == AuditOutcome.Denied && e.Purpose!.Contains(worker.Id)));
        Assert.Equal("config:tests-admin", refused.ApiKeyId);
    }

    [Fact]
    public async Task KeyWithTheOwnersRoles_LosesARoleTheOwnerLoses_AndStopsWhenTheOwnerIsLocked()
    {
        var owner = await host.CreateUserAsync("key.owner@test.dk", Password, ExitRoles.Worker, ExitRoles.Manager);
        var admin = host.Host.CreateClientAs(ExitRoles.Admin);
        var created = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "owner-key", roles = new[] { ExitRoles.Worker, ExitRoles.Manager }, ownerUserId = owner.Id });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = host.Host.CreateClientAs(null);
        key.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, (string)body["key"]!);

        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/cti/outcome-report")).StatusCode);
        var me = await key.GetFromJsonAsync<JsonObject>("/api/account/me");
        Assert.Equal(owner.Id, (string?)me!["id"]);
        // The audit entry names the owner and the key.
        var entry = (await AuditAsync(e => e.UserId == owner.Id && e.ResourceType == "CtiOutcomeReport")).Single();
        Assert.Equal((string)body["id"]!, entry.ApiKeyId);

        var removed = await admin.PutAsJsonAsync($"/api/admin/users/{owner.Id}/roles", new { roles = new[] { ExitRoles.Worker } });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/api/cti/outcome-report")).StatusCode);
        me = await key.GetFromJsonAsync<JsonObject>("/api/account/me");
        Assert.Equal([ExitRoles.Worker], me!["roles"]!.AsArray().Select(r => (string)r!).ToArray());

        using (var scope = host.Host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(owner.Id))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task KeyWithoutOwner_CannotCarryARoleThatReadsCitizenData()
    {
        var response = await host.Host.CreateClientAs(ExitRoles.Admin).PostAsJsonAsync("/api/admin/api-keys", new { name = "ownerless-manager", roles = new[] { ExitRoles.Manager } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["roles"]);
    }

    [Fact]
    public async Task AnAdmin_CannotGiveThemselvesRoles_NeitherByAKeyNorByChangingTheirRoles()
    {
        var self = await host.CreateUserAsync("self.admin@test.dk", Password, ExitRoles.Admin);
        var cookie = host.Host.CreateClientAs(null);
        await AuthHost.SignInAsync(cookie, "self.admin@test.dk", Password);

        var key = await cookie.PostAsJsonAsync("/api/admin/api-keys", new { name = "self-key", roles = new[] { ExitRoles.Admin, ExitRoles.Supervisor }, ownerUserId = self.Id });
        var roles = await cookie.PutAsJsonAsync($"/api/admin/users/{self.Id}/roles", new { roles = new[] { ExitRoles.Admin, ExitRoles.Manager } });

        Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, roles.StatusCode);
        Assert.NotNull((await roles.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["roles"]);
        using var scope = host.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal([ExitRoles.Admin], await users.GetRolesAsync((await users.FindByIdAsync(self.Id))!));
        Assert.Contains(await AuditAsync(e => e.ResourceType == "user" && e.ResourceId == self.Id), e => e.Outcome == AuditOutcome.Denied && e.UserId == self.Id);
    }

    [Fact]
    public async Task EveryAdminAction_IsAudited()
    {
        var admin = host.Host.CreateClientAs(ExitRoles.Admin);

        var user = await admin.PostAsJsonAsync("/api/admin/users", new { email = "audited.user@test.dk", password = Password, roles = new[] { ExitRoles.Worker } });
        var userId = (string)(await user.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { ExitRoles.Worker, ExitRoles.Supervisor } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/admin/users/{userId}/unlock", new { })).StatusCode);
        var key = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "audited-key", roles = new[] { ExitRoles.Supervisor }, ownerUserId = userId });
        var keyId = (string)(await key.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/api-keys/{keyId}")).StatusCode);

        var onUser = await AuditAsync(e => e.ResourceType == "user" && e.ResourceId == userId);
        Assert.Contains(onUser, e => e.Purpose == "created with roles worker");
        Assert.Contains(onUser, e => e.Purpose == "roles worker to supervisor,worker");
        Assert.Contains(onUser, e => e.Purpose == "unlocked");
        var onKey = await AuditAsync(e => e.ResourceType == "api-key" && e.ResourceId == keyId);
        Assert.Contains(onKey, e => e.Action == AuditAction.Change && e.Purpose!.Contains(userId));
        Assert.Contains(onKey, e => e.Action == AuditAction.Delete);
        Assert.All(onUser.Concat(onKey), e => Assert.Equal("config:tests-admin", e.ApiKeyId));
    }

    private async Task<T> WithDbAsync<T>(Func<ExitIdentityDbContext, Task<T>> read)
    {
        using var scope = host.Host.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>());
    }

    private Task<List<AuditEntry>> AuditAsync(System.Linq.Expressions.Expression<Func<AuditEntry, bool>> filter) =>
        WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(filter).ToListAsync());
}
