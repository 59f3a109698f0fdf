using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Exit.Host.Tests.Privacy;

/// <summary>
/// GDPR art. 15 through the real Host: an admin gets one Danish HTML document (or JSON) with the citizen, the course,
/// the answered task and the access log, without any staff identity; the export is audited.
/// </summary>
public sealed class ExportTests
{
    [Fact]
    public async Task Export_IsOneDanishDocument_WithCourseAnswersAndAccessLog_WithoutStaff_AndIsAudited()
    {
        using var host = new ExitHostFactory(configure: b => b.UseSetting("Exit:Cti:CprKey", CitizenScenario.CprKey));
        var client = host.CreateClient();
        var admin = host.CreateClientAs(ExitRoles.Admin);
        var citizenId = await CitizenScenario.CreateCitizenAsync(client, "Luna Eksport", "0101901234");
        var (courseId, _) = await CitizenScenario.StartCourseAsync(client, citizenId);
        await CitizenScenario.AnswerFirstTaskAsync(client, courseId, "Vi talte om bolig og økonomi");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.CreateClientAs(ExitRoles.Manager).GetAsync($"/api/admin/citizens/{citizenId}/data")).StatusCode);
        var response = await admin.GetAsync($"/api/admin/citizens/{citizenId}/data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"da\"", html, StringComparison.Ordinal);
        Assert.Contains("Oplysninger vi behandler om dig", html, StringComparison.Ordinal);
        Assert.Contains("Luna Eksport", html, StringComparison.Ordinal);
        Assert.Contains("010190-1234", html, StringComparison.Ordinal);
        Assert.Contains("Vi talte om bolig og økonomi", html, StringComparison.Ordinal); // the answer
        Assert.Contains("Fase 1: planlægning og igangsættelse", html, StringComparison.Ordinal); // the period (after the Afklaring) by its Danish name
        Assert.Contains("Adgangslog", html, StringComparison.Ordinal);
        Assert.Contains("Læst", html, StringComparison.Ordinal);                  // the timeline read, in the access log
        Assert.DoesNotContain("tests-", html, StringComparison.Ordinal);          // no staff identity: not the callers, not the responsible worker

        var json = await admin.GetFromJsonAsync<JsonObject>($"/api/admin/citizens/{citizenId}/data?format=json");
        var titles = json!["sections"]!.AsArray().Select(s => (string?)s!["title"]).ToList();
        Assert.Equal(["Borger", "Forløb", "Evalueringer", "Kontakter", "Opgaver og svar", "Adgangslog"], titles);

        var audit = await admin.GetFromJsonAsync<JsonObject>($"/api/audit?citizenId={citizenId}&action=Export");
        Assert.Equal(2, audit!["items"]!.AsArray().Count(e => (string?)e!["resourceType"] == "citizen-data"));
    }
}
