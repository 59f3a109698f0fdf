using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;

namespace Exit.Host.Tests.Tenancy;

/// <summary>
/// The national template library as municipalities meet it: a municipality created by the national role starts with
/// its own copy of the standard CTI course (adopted from the library), its coordinator sees which template version it
/// runs and may adopt again; the library itself adopts nothing; the copies are separate definitions per municipality.
/// </summary>
public sealed class TemplateLibraryTests : IDisposable
{
    private const string Aarhus = TestApiKeys.OtherMunicipality;
    private readonly ExitHostFactory _host = new();

    [Fact]
    public async Task ANewMunicipality_RunsItsOwnCopyOfTheStandardCourse_AndItsCoordinatorCanAdoptAgain()
    {
        var national = _host.CreateClientAs(ExitRoles.National);
        Assert.Equal(HttpStatusCode.Created, (await national.PostAsJsonAsync("/api/municipalities", new { id = Aarhus, name = "Aarhus" })).StatusCode);
        var coordinator = _host.CreateClientAs(ExitRoles.Coordinator, Aarhus);

        var templates = (await coordinator.GetFromJsonAsync<JsonArray>("/api/templates"))!;
        var course = templates.Single(t => (string)t!["definitionId"]! == "cti-course")!;
        Assert.NotNull(course["ownVersion"]?.GetValue<int>());
        Assert.True(course["ownIsPublished"]!.GetValue<bool>());

        // Aarhus' definition is its own row, not the template's nor København's.
        var aarhusVersion = await PublishedVersionIdAsync(coordinator);
        var copenhagenVersion = await PublishedVersionIdAsync(_host.CreateClientAs(ExitRoles.Coordinator));
        var templateVersion = await PublishedVersionIdAsync(national);
        Assert.Equal(3, new[] { aarhusVersion, copenhagenVersion, templateVersion }.Distinct().Count());

        // Adopting the version it already runs changes nothing; an unknown template is 404; the library adopts nothing.
        var again = await coordinator.PostAsync("/api/templates/cti-course/adopt", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await again.Content.ReadFromJsonAsync<JsonObject>())!["changed"]!.GetValue<bool>());
        Assert.Equal(aarhusVersion, await PublishedVersionIdAsync(coordinator));
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync("/api/templates/no-such-template/adopt", null)).StatusCode);
        var fromLibrary = await national.PostAsync("/api/templates/cti-course/adopt", null);
        Assert.Equal(HttpStatusCode.BadRequest, fromLibrary.StatusCode);
        Assert.Equal("application/problem+json", fromLibrary.Content.Headers.ContentType?.MediaType);
        // A worker neither lists nor adopts templates.
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.CreateClientAs(ExitRoles.Worker, Aarhus).GetAsync("/api/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.CreateClientAs(ExitRoles.Worker, Aarhus).PostAsync("/api/templates/cti-course/adopt", null)).StatusCode);
    }

    private static async Task<string> PublishedVersionIdAsync(HttpClient client)
    {
        var definition = (await client.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/cti-course?versionOptions=Published"))!;
        return (string)definition["id"]!;
    }

    public void Dispose() => _host.Dispose();
}
