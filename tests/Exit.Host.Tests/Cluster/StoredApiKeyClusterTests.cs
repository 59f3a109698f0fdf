using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Cluster;

/// <summary>
/// Issue 11: two hosts on one PostgreSQL database keep no copy of a stored key between requests, so what an administrator
/// does on host A (revoke the key, take a role from its owner, lock the owner out) refuses or narrows host B's very next
/// request with that key.
/// </summary>
[RequiresPostgres]
public sealed class StoredApiKeyClusterTests
{
    private const string Password = "a long enough password";

    [DatabaseFact]
    public async Task StoredKey_RevokedOnHostA_IsRefusedByHostBsVeryNextRequest()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = new ExitHostFactory(postgresConnectionString: database.Options.ConnectionString);
        await using var b = new ExitHostFactory(postgresConnectionString: database.Options.ConnectionString);
        var admin = a.CreateClientAs(ExitRoles.Admin);
        var ownerId = await CreateUserAsync(admin, "revoked.owner@cluster.test", ExitRoles.Worker);
        var (keyId, key) = await CreateKeyAsync(admin, ownerId, ExitRoles.Worker);
        var onB = b.CreateClientAs(null);
        onB.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/account/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/api-keys/{keyId}")).StatusCode);

        var refused = await onB.GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [DatabaseFact]
    public async Task StoredKey_OwnersRoleRemovedOrLockOutOnHostA_HoldsOnHostBsVeryNextRequest()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = new ExitHostFactory(postgresConnectionString: database.Options.ConnectionString);
        await using var b = new ExitHostFactory(postgresConnectionString: database.Options.ConnectionString);
        var admin = a.CreateClientAs(ExitRoles.Admin);
        var ownerId = await CreateUserAsync(admin, "narrowed.owner@cluster.test", ExitRoles.Worker, ExitRoles.Manager);
        var (_, key) = await CreateKeyAsync(admin, ownerId, ExitRoles.Worker, ExitRoles.Manager);
        var onB = b.CreateClientAs(null);
        onB.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, key);
        Assert.Equal([ExitRoles.Manager, ExitRoles.Worker], await RolesAsync(onB));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/cti/outcome-report")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{ownerId}/roles", new { roles = new[] { ExitRoles.Worker } })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await onB.GetAsync("/api/cti/outcome-report")).StatusCode);
        Assert.Equal([ExitRoles.Worker], await RolesAsync(onB));

        using (var scope = a.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByIdAsync(ownerId))!, DateTimeOffset.UtcNow.AddMinutes(15))).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/admin/users/{ownerId}/unlock", new { })).StatusCode);
        Assert.Equal([ExitRoles.Worker], await RolesAsync(onB));
    }

    private static async Task<string> CreateUserAsync(HttpClient admin, string email, params string[] roles)
    {
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = Password, roles });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static async Task<(string Id, string Key)> CreateKeyAsync(HttpClient admin, string ownerUserId, params string[] roles)
    {
        var created = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "cluster-key", roles, ownerUserId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["id"]!, (string)body["key"]!);
    }

    private static async Task<string[]> RolesAsync(HttpClient client)
    {
        var me = await client.GetFromJsonAsync<JsonObject>("/api/account/me");
        return [.. me!["roles"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal)];
    }
}
