using System.Net.Http.Headers;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Tests.Infrastructure;

/// <summary>
/// API keys provisioned through configuration (Exit:Auth:ApiKeys, hashes only) for tests: one per role and one
/// with every role (the default for <see cref="ExitHostFactory"/> clients). The principal's name is
/// <c>apikey:tests-{role}</c>. <see cref="Settings"/> also gives the test hosts their CPR key.
/// </summary>
public static class TestApiKeys
{
    public const string AllRoles = "all";

    public static string KeyFor(string role) => ApiKeyDefaults.KeyPrefix + "test_" + role;

    public static string UserNameFor(string role) => "apikey:tests-" + role;

    /// <summary>The second municipality of the tests: keys for each of its roles run there (<see cref="KeyFor(string, string)"/>).</summary>
    public const string OtherMunicipality = "aarhus";

    /// <summary>A key of <paramref name="role"/> in <paramref name="municipality"/> (the first municipality: <see cref="KeyFor(string)"/>).</summary>
    public static string KeyFor(string role, string municipality) =>
        municipality == Exit.Workflows.Tenancy.TenantIds.Default ? KeyFor(role) : ApiKeyDefaults.KeyPrefix + "test_" + municipality + "_" + role;

    public static string UserNameFor(string role, string municipality) =>
        municipality == Exit.Workflows.Tenancy.TenantIds.Default ? UserNameFor(role) : $"apikey:tests-{municipality}-{role}";

    /// <summary>Configuration entries (key, value) that provision every test key.</summary>
    public static IEnumerable<(string Key, string Value)> Settings()
    {
        var index = 0;
        foreach (var role in ExitRoles.All.Append(AllRoles))
        {
            var prefix = $"Exit:Auth:ApiKeys:{index++}:";
            yield return (prefix + "Name", "tests-" + role);
            yield return (prefix + "Sha256", ApiKeyDefaults.Hash(KeyFor(role)));
            // "All" is every role of a municipality: the national role would move the key out of it (into the templates).
            yield return (prefix + "Roles", role == AllRoles ? string.Join(",", ExitRoles.Municipal) : role);
            // Ownerless keys with citizen-data roles must say so (ConfiguredApiKey.CitizenData).
            yield return (prefix + "CitizenData", "true");
        }

        foreach (var role in ExitRoles.Municipal)
        {
            var prefix = $"Exit:Auth:ApiKeys:{index++}:";
            yield return (prefix + "Name", $"tests-{OtherMunicipality}-{role}");
            yield return (prefix + "Sha256", ApiKeyDefaults.Hash(KeyFor(role, OtherMunicipality)));
            yield return (prefix + "Roles", role);
            yield return (prefix + "CitizenData", "true");
            yield return (prefix + "Municipality", OtherMunicipality);
        }

        yield return ("Exit:Cti:CprKey", CprKey);
    }

    /// <summary>A CPR key for test hosts (the service refuses to start without one outside demo mode).</summary>
    public const string CprKey = "dGVzdC1jcHIta2V5LWZvci1leGl0LXRlc3RzLW9ubHk=";

    public static void Authorize(HttpClient client, string? role, string municipality = Exit.Workflows.Tenancy.TenantIds.Default)
    {
        client.DefaultRequestHeaders.Authorization = role is null ? null : new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, KeyFor(role, municipality));
    }
}
