using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Bench;

/// <summary>
/// <c>--stored-key</c>: the key the measured requests carry is created the way an administrator creates one, through the
/// admin API (<c>POST /api/admin/users</c>, then <c>POST /api/admin/api-keys</c> owned by that user with the user's
/// roles). Every request then authenticates by reading the key and its owner from the database, as a real integration's
/// requests do; with the configured key (the default) that read does not happen.
/// </summary>
internal static class StoredBenchKey
{
    /// <summary>
    /// A second configured key, with the admin role alone, for creating the stored key: the bench's main configured key
    /// holds every role, the national one too, and a national principal works in no municipality, so it creates no staff.
    /// </summary>
    public static void ConfigureAdminKey(IDictionary<string, string?> environment, string adminKey)
    {
        environment["Exit__Auth__ApiKeys__1__Name"] = "bench-admin";
        environment["Exit__Auth__ApiKeys__1__Sha256"] = ApiKeyDefaults.Hash(adminKey);
        environment["Exit__Auth__ApiKeys__1__Roles"] = ExitRoles.Admin;
    }

    public static string NewAdminKey() => ApiKeyDefaults.KeyPrefix + "bench_admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new staff user with every municipal role, and a key of theirs with the same roles; returns the key.</summary>
    public static async Task<string> CreateAsync(HttpClient host, string adminKey)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var roles = ExitRoles.Municipal.ToArray();
        var user = await PostAsync(host, adminKey, "/api/admin/users", new
        {
            email = $"bench.{suffix}@bench.invalid",
            password = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            roles,
        });
        var userId = (string?)(await ReadAsync(user, "user"))["id"] ?? throw new InvalidOperationException("the created user has no id");
        var key = await PostAsync(host, adminKey, "/api/admin/api-keys", new { name = "bench-stored-" + suffix, roles, ownerUserId = userId });
        return (string?)(await ReadAsync(key, "API key"))["key"] ?? throw new InvalidOperationException("the created key was not returned");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient host, string adminKey, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, adminKey);
        return host.SendAsync(request);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"creating the bench's {what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException($"creating the bench's {what} answered no body");
        }
    }
}
