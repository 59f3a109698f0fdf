using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

public sealed class ApiKeyTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task ApiKey_CreatedByAnAdmin_AuthenticatesWithItsRolesAndIsStoredOnlyAsAHash()
    {
        var key = await CreateKeyAsync("reporting", ExitRoles.Coordinator);
        var client = host.Host.CreateClientAs(null);
        client.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, key);

        var me = await client.GetFromJsonAsync<JsonObject>("/api/account/me");

        Assert.Equal("apikey:reporting", (string?)me!["name"]);
        Assert.Equal(ExitRoles.Coordinator, (string?)me["roles"]!.AsArray().Single());
        using var scope = host.Host.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().ApiKeys.SingleAsync(k => k.Name == "reporting");
        Assert.Equal(ApiKeyDefaults.Hash(key), stored.Hash);
        Assert.DoesNotContain(key, stored.Hash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        var listed = await host.Host.CreateClientAs(ExitRoles.Admin).GetStringAsync("/api/admin/api-keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_Revoked_Answers401ProblemJson()
    {
        var key = await CreateKeyAsync("to-revoke", ExitRoles.Coordinator);
        var admin = host.Host.CreateClientAs(ExitRoles.Admin);
        var keys = await admin.GetFromJsonAsync<JsonArray>("/api/admin/api-keys");
        var id = (string)keys!.Single(k => (string?)k!["name"] == "to-revoke")!["id"]!;
        var client = host.Host.CreateClientAs(null);
        client.DefaultRequestHeaders.Authorization = new(ApiKeyDefaults.Scheme, key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/elsa/api/workflow-definitions")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/api-keys/{id}")).StatusCode);
        var response = await client.GetAsync("/elsa/api/workflow-definitions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("exit_not-a-key")]
    [InlineData("")]
    public async Task ApiKey_Wrong_Answers401NotARedirect(string key)
    {
        var client = host.Host.CreateClientAs(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "ApiKey " + key);

        var response = await client.GetAsync("/api/tasks");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiKey_CreateWithAnUnknownRole_Answers400()
    {
        var response = await host.Host.CreateClientAs(ExitRoles.Admin).PostAsJsonAsync("/api/admin/api-keys", new { name = "x", roles = new[] { "superuser" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<string> CreateKeyAsync(string name, string role)
    {
        var response = await host.Host.CreateClientAs(ExitRoles.Admin).PostAsJsonAsync("/api/admin/api-keys", new { name, roles = new[] { role } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!;
        Assert.StartsWith(ApiKeyDefaults.KeyPrefix, key, StringComparison.Ordinal);
        return key;
    }
}
