using System.Net;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// Every endpoint the real Host maps × every role (anonymous, worker, coordinator, manager, supervisor, admin),
/// through the real pipeline with each role's test API key. <see cref="AccessRules.Table"/> is the expected
/// access; an endpoint missing from it fails <see cref="EveryMappedEndpoint_HasAnAccessRule"/>.
/// Allowed means "past authorization": the dummy route values then usually get 400/404 from the handler.
/// </summary>
public sealed class EndpointAuthorizationTests(EndpointAuthorizationTests.HostFixture fixture, ITestOutputHelper output)
    : IClassFixture<EndpointAuthorizationTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    public static readonly string?[] Callers = [null, ExitRoles.Worker, ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Supervisor, ExitRoles.Admin, ExitRoles.Volunteer, ExitRoles.National];

    [Fact]
    public void EveryMappedEndpoint_HasAnAccessRule()
    {
        var missing = MappedEndpoints().Where(e => AccessRules.Find(e.Method, e.Pattern) is null).Select(e => $"{e.Method} {e.Pattern}").ToList();

        Assert.True(missing.Count == 0, "Endpoints without an access rule in AccessRules.Table:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryAccessRule_MatchesAMappedEndpoint()
    {
        var mapped = MappedEndpoints().Select(e => (e.Method, e.Pattern)).ToHashSet();

        var stale = AccessRules.Table.Where(r => !mapped.Contains((r.Method, r.Pattern))).Select(r => $"{r.Method} {r.Pattern}").ToList();

        Assert.True(stale.Count == 0, "Rules for endpoints that are not mapped:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRole_AnswersAsTheTableSays()
    {
        var failures = new List<string>();
        var report = new StringBuilder();
        var clients = Callers.ToDictionary(c => c ?? "anonymous", c => fixture.Host.CreateClientAs(c));
        foreach (var endpoint in MappedEndpoints())
        {
            var rule = AccessRules.Find(endpoint.Method, endpoint.Pattern);
            if (rule is null) continue; // reported by EveryMappedEndpoint_HasAnAccessRule
            report.Append($"{endpoint.Method,-6} {endpoint.Pattern,-75}");
            foreach (var caller in Callers)
            {
                var expected = rule.Expected(caller);
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method == "*" ? "GET" : endpoint.Method), Url(endpoint.RoutePattern));
                if (endpoint.Method is "POST" or "PUT" or "PATCH")
                    request.Content = endpoint.AcceptsForm ? new FormUrlEncodedContent([]) : new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await clients[caller ?? "anonymous"].SendAsync(request);
                var actual = Classify(response);
                report.Append($" {caller ?? "anon"}={(int)response.StatusCode}");
                if (actual != expected)
                    failures.Add($"{endpoint.Method} {endpoint.Pattern} as {caller ?? "anonymous"}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
            }

            report.AppendLine();
        }

        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>401 and a redirect to the sign-in page are "unauthenticated"; 403 and the access-denied page are "forbidden".</summary>
    private static Access Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.IsAbsoluteUri == true ? response.Headers.Location.AbsolutePath : response.Headers.Location?.OriginalString;
        if (response.StatusCode == HttpStatusCode.Unauthorized || (response.StatusCode == HttpStatusCode.Redirect && location?.StartsWith(ExitAuthentication.LoginPath, StringComparison.Ordinal) == true))
            return Access.Unauthenticated;
        if (response.StatusCode == HttpStatusCode.Forbidden || (response.StatusCode == HttpStatusCode.Redirect && location?.StartsWith(ExitAuthentication.AccessDeniedPath, StringComparison.Ordinal) == true))
            return Access.Forbidden;
        return Access.Allowed;
    }

    private IEnumerable<(string Method, string Pattern, RoutePattern RoutePattern, bool AcceptsForm)> MappedEndpoints() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Where(m => m != "HEAD")
                .Select(m => (Method: m, Pattern: AccessRules.Normalise(e.RoutePattern.RawText), e.RoutePattern,
                    AcceptsForm: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("application/x-www-form-urlencoded") == true)))
            .DistinctBy(e => (e.Method, e.Pattern))
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal);

    /// <summary>A URL for the pattern with harmless values: nothing of that id exists.</summary>
    private static string Url(RoutePattern pattern) => RouteUrls.Fill(pattern, p => p switch
    {
        { IsCatchAll: true } => "none",
        _ when p.ParameterPolicies.Any(x => x.Content == "int") => "1",
        _ when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.Empty.ToString(),
        { Name: "documentName" } => "v1",
        _ => "none",
    });
}
