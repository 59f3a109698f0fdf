using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;

namespace Exit.Host.Tests.SupportPersons;

/// <summary>The register's API: bad input answers 400 problem+json naming each field and stores nothing; the paths are in the OpenAPI document.</summary>
public sealed class SupportPersonApiTests(SupportPersonApiTests.HostFixture fixture) : IClassFixture<SupportPersonApiTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    [Fact]
    public async Task Register_BadInput_NamesEachField_AndStoresNothing()
    {
        var coordinator = fixture.Host.CreateClientAs(ExitRoles.Coordinator);
        var before = (await coordinator.GetFromJsonAsync<JsonArray>("/api/support-persons"))!.Count;

        var response = await coordinator.PostAsJsonAsync("/api/support-persons", new
        {
            displayName = " ", agreementStart = "1. marts", hoursPerWeek = 90, status = "Sleeping", userName = "nobody@exit.test",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["acuteAvailability", "agreementStart", "confidentialitySignedOn", "displayName", "hoursPerWeek", "status", "team", "userName"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(before, (await coordinator.GetFromJsonAsync<JsonArray>("/api/support-persons"))!.Count);
    }

    [Fact]
    public async Task Match_ACourseTheCallerCannotSee_IsNamed_AndAnUnknownPersonIs404()
    {
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var created = await manager.PostAsJsonAsync("/api/support-persons", new
        {
            displayName = "Pia", team = "Øst", agreementStart = "2026-01-01", acuteAvailability = "sms", status = "Paused",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var match = await manager.PostAsJsonAsync($"/api/support-persons/{id}/matches", new { courseId = Guid.NewGuid(), start = "2026-13-01", hoursPerWeek = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, match.StatusCode);
        var errors = (await match.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["courseId"], errors.Select(e => e.Key));
        var direct = await manager.PostAsJsonAsync($"/api/support-persons/{Guid.NewGuid()}/matches", new { start = "2026-01-01" });
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode); // no such support-and-contact person
    }

    [Fact]
    public async Task OpenApi_DescribesTheSchemesEndpoints()
    {
        var doc = await fixture.Host.CreateClientAs(ExitRoles.Manager).GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/support-persons", "/api/support-persons/{id}/matches", "/api/supervision/series", "/api/volunteer/citizens" })
            Assert.Contains($"\"{path}\"", doc, StringComparison.Ordinal);
    }
}
