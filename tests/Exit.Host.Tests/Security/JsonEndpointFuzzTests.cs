using System.Net;
using System.Security.Cryptography;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14 acceptance: malformed, oversized (5 MB), deeply nested (depth 10,000) and wrongly typed bodies to every
/// JSON endpoint the Host maps (read from its EndpointDataSource, so endpoints added later are included), each as a
/// caller whose role may call it (AccessRules). No answer is a 5xx, every refusal is problem+json, and the database
/// is unchanged apart from the audit log (a fingerprint of every other table's rows, before and after). Route values
/// are made-up ids: the body is bound before any handler looks an id up, and nothing real can be changed by accident.
/// </summary>
public sealed class JsonEndpointFuzzTests(JsonEndpointFuzzTests.HostFixture fixture, ITestOutputHelper output)
    : IClassFixture<JsonEndpointFuzzTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    private static readonly string WronglyTyped = """
        { "alias": { "x": 1 }, "cpr": [1], "worker": 5, "citizenId": true, "goal": [], "outcome": {}, "data": 7, "assignee": [],
          "correlationId": {}, "input": "x", "model": 3, "publish": "yes", "definitionIds": "x", "ids": 4, "roles": "x", "name": [],
          "email": 1, "password": 2, "reason": {}, "payload": "x", "taskIds": "x", "versionOptions": 1, "filter": "x",
          "workflowInstanceId": [], "activityNodeIds": 3, "page": "x", "pageSize": "big", "ownerUserId": [], "answers": 1, "period": {} }
        """;

    public static IEnumerable<(string Name, string Body)> Bodies()
    {
        yield return ("malformed", """{ "alias": """);
        yield return ("not json", "this is not json");
        yield return ("oversized", "{\"alias\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
        yield return ("deep arrays", new string('[', 10_000) + new string(']', 10_000));
        yield return ("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
        yield return ("array", "[1, 2, 3]");
        yield return ("string", "\"text\"");
        yield return ("number", "12345");
        yield return ("wrongly typed", WronglyTyped);
    }

    [Fact]
    public async Task EveryJsonEndpoint_RefusesBadBodiesWithProblemJson_AndStoresNothing()
    {
        var endpoints = JsonEndpoints().ToList();
        Assert.True(endpoints.Count > 20, $"found only {endpoints.Count} JSON endpoints");
        var before = Fingerprint();
        var clients = new Dictionary<string, HttpClient>();
        var failures = new List<string>();
        var requests = 0;

        foreach (var (method, pattern, routePattern) in endpoints)
        {
            var rule = AccessRules.Find(method, pattern);
            var role = rule is null ? TestApiKeys.AllRoles : ExitRoles.All.FirstOrDefault(r => rule.Expected(r) == Access.Allowed);
            if (role is null) continue; // nobody may call it with a key: the authorization tests cover it
            if (!clients.TryGetValue(role, out var client)) clients[role] = client = fixture.Host.CreateClientAs(role);

            foreach (var (name, body) in Bodies())
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(routePattern))
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                using var response = await client.SendAsync(request);
                requests++;
                var status = (int)response.StatusCode;
                var type = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500)
                    failures.Add($"{method} {pattern} [{name}] as {role}: {status} {await Excerpt(response)}");
                else if (status >= 400 && type != "application/problem+json")
                    failures.Add($"{method} {pattern} [{name}] as {role}: {status} with content type '{type}'");
            }
        }

        var after = Fingerprint();
        var changed = before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).ToList();
        output.WriteLine($"{endpoints.Count} JSON endpoints, {requests} requests; tables compared: {string.Join(", ", before.Keys)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(changed.Count == 0, "tables changed by refused requests: " + string.Join(", ", changed));
    }

    private static async Task<string> Excerpt(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 300 ? text[..300] : text;
    }

    /// <summary>Every API endpoint that takes a body (POST, PUT, PATCH on /api or /elsa/api), forms excluded.</summary>
    private IEnumerable<(string Method, string Pattern, RoutePattern RoutePattern)> JsonEndpoints() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw.StartsWith("/elsa/api/", StringComparison.Ordinal)))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes
                .Any(t => t.StartsWith("multipart/", StringComparison.Ordinal) || t == "application/x-www-form-urlencoded") != true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH")
                .Select(m => (Method: m, Pattern: AccessRules.Normalise(e.RoutePattern.RawText), e.RoutePattern)))
            .DistinctBy(e => (e.Method, e.Pattern))
            .OrderBy(e => e.Pattern, StringComparer.Ordinal);

    /// <summary>Made-up ids that satisfy the route constraints.</summary>
    private static string Url(RoutePattern pattern) => RouteUrls.Fill(pattern, p => p switch
    {
        _ when p.ParameterPolicies.Any(x => x.Content == "int") => "1",
        _ when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.NewGuid().ToString(),
        { Name: "period" } => "Phase1",
        _ => "made-up-" + Guid.NewGuid().ToString("N")[..8],
    });

    /// <summary>A hash of every row of every table except the audit log (refusals are audited) and Quartz's own state.</summary>
    private Dictionary<string, string> Fingerprint()
    {
        using var connection = new SqliteConnection($"Data Source={fixture.Host.DatabasePath};Mode=ReadOnly");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !t.Contains("Audit", StringComparison.OrdinalIgnoreCase)
                     && !t.StartsWith("QRTZ", StringComparison.OrdinalIgnoreCase) && !t.Contains("DataProtection", StringComparison.OrdinalIgnoreCase)))
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            using var reader = select.ExecuteReader();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                    hash.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "|"));
            }

            result[table] = $"{rows}:{Convert.ToHexString(hash.GetHashAndReset())}";
        }

        return result;
    }
}
