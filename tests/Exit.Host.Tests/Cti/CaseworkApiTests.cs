using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Cti;

/// <summary>
/// Issue 8's casework API through the real Host (SQLite): the course network (GET|PUT), the intake register with its
/// enquiry table, and the target-group descriptors — each with bad input answered 400 naming the field and nothing stored,
/// the caseload rule (another worker's course is 404) and audit entries.
/// </summary>
public sealed class CaseworkApiTests(CaseworkApiTests.HostFixture fixture) : IClassFixture<CaseworkApiTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    private static readonly string Worker = TestApiKeys.UserNameFor(ExitRoles.Worker);
    private HttpClient AsWorker => fixture.Host.CreateClientAs(ExitRoles.Worker);

    [Fact]
    public async Task Network_PutThenGet_KeepsEveryField_AndIsAudited()
    {
        var courseId = await StartCourseAsync(Worker);
        var put = await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new
        {
            members = new object[]
            {
                new { kind = "Caseworker", actor = "Jobcenter Nord", contactPerson = "Sagsbehandler A", contact = "tlf. 1234 5678",
                      roleInPlan = "Forsørgelse og ressourceforløb", focusAreas = new[] { "Economy", "EducationAndEmployment" }, status = "Active" },
                new { kind = "AddictionTreatment", actor = "Misbrugscentret", status = "Planned" },
            },
        });
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        var network = (await AsWorker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/network"))!["members"]!.AsArray();
        Assert.Equal(2, network.Count);
        var first = network[0]!;
        Assert.Equal(("Caseworker", "Jobcenter Nord", "Sagsbehandler A", "tlf. 1234 5678", "Forsørgelse og ressourceforløb", "Active"),
            ((string?)first["role"], (string?)first["organisation"], (string?)first["name"], (string?)first["contact"], (string?)first["roleInPlan"], (string?)first["status"]));
        Assert.Equal(["Economy", "EducationAndEmployment"], first["focusAreas"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Planned", (string?)network[1]!["status"]);

        // A PUT with the first member's id and a changed status keeps that member (same id) and drops the other.
        var id = (string)first["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new
        {
            members = new object[] { new { id, kind = "Caseworker", actor = "Jobcenter Nord", status = "Ended" } },
        })).StatusCode);
        var after = (await AsWorker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/network"))!["members"]!.AsArray();
        Assert.Equal((id, "Ended"), ((string?)Assert.Single(after)!["id"], (string?)after[0]!["status"]));

        var changes = await AuditAsync(courseId, AuditAction.Change);
        Assert.Equal(2, changes.Count(e => e.UserName == Worker && e.Outcome == AuditOutcome.Allowed));
    }

    [Fact]
    public async Task Network_BadInput_Answers400NamingEachField_AndStoresNothing()
    {
        var courseId = await StartCourseAsync(Worker);
        Assert.Equal(HttpStatusCode.OK, (await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new
        {
            members = new object[] { new { kind = "Family", actor = "Søster" } },
        })).StatusCode);

        var response = await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new
        {
            members = new object[]
            {
                new { kind = "Caseworker", actor = "Jobcenter" },
                new { kind = "Astrologer", actor = "X" },
                new { kind = "Other" },
                new { kind = "NgoWorker", actor = "Reden", status = "Sometimes", focusAreas = new[] { "Economy", "Luck" } },
                new { kind = "Other", actor = new string('x', 201) },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(
            new[] { "members[1].kind", "members[2].actor", "members[3].focusAreas[1]", "members[3].status", "members[4].actor" },
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        var stored = (await AsWorker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/network"))!["members"]!.AsArray();
        Assert.Equal("Søster", (string?)Assert.Single(stored)!["organisation"]);

        var missing = await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.NotNull((await missing.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["members"]);
    }

    [Fact]
    public async Task Network_OfAnotherWorkersCourse_Is404()
    {
        var courseId = await StartCourseAsync("medarbejder2@exit.demo");
        Assert.Equal(HttpStatusCode.NotFound, (await AsWorker.GetAsync($"/api/courses/{courseId}/network")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/network", new { members = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AsWorker.GetAsync($"/api/courses/{courseId}/descriptors")).StatusCode);
    }

    [Fact]
    public async Task Descriptors_PutGet_AndBadInput400NamingTheField()
    {
        var courseId = await StartCourseAsync(Worker);
        var empty = await AsWorker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/descriptors");
        Assert.All(empty!, p => Assert.Null(p.Value));

        var ok = await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/descriptors",
            new { ageBand = "From25To34", prostitutionForm = "EscortOrOnline", interpreterNeeded = "Yes" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var bad = await AsWorker.PutAsJsonAsync($"/api/courses/{courseId}/descriptors",
            new { ageBand = "Teen", gender = "Woman", debt = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(new[] { "ageBand", "debt" }, errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        var stored = (await AsWorker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/descriptors"))!;
        Assert.Equal(("From25To34", "EscortOrOnline", "Yes", null), ((string?)stored["ageBand"], (string?)stored["prostitutionForm"], (string?)stored["interpreterNeeded"], (string?)stored["gender"]));
    }

    [Fact]
    public async Task Intake_RegisterDecideAndTheTableSuppressesSmallNumbers()
    {
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var year = DateTime.UtcNow.Year - 1; // a past year of its own, so other tests' enquiries do not count
        for (var i = 0; i < 6; i++)
            Assert.Equal(HttpStatusCode.Created, (await AsWorker.PostAsJsonAsync("/api/intake", new { receivedOn = $"{year}-03-0{i + 1}", channel = "Outreach", anonymous = true })).StatusCode);
        var named = await AsWorker.PostAsJsonAsync("/api/intake", new { receivedOn = $"{year}-04-01", channel = "Hospital", anonymous = false, alias = "Rosa" });
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        var enquiryId = (string)(await named.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var courseId = await StartCourseAsync(Worker);
        var decided = await AsWorker.PostAsJsonAsync($"/api/intake/{enquiryId}/decision", new { decision = "CourseOffered", courseId });
        Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());

        var list = (await manager.GetFromJsonAsync<JsonObject>($"/api/intake?from={year}-01-01&to={year}-12-31"))!;
        Assert.Equal(7, list["items"]!.AsArray().Count);
        var linked = list["items"]!.AsArray().Single(e => (string?)e!["id"] == enquiryId)!;
        Assert.Equal(("CourseOffered", courseId, "Rosa"), ((string?)linked["decision"], (string?)linked["courseId"], (string?)linked["alias"]));
        var table = list["table"]!.AsArray();
        var outreach = table.Single(c => (string?)c!["channel"] == "Outreach")!;
        Assert.Equal((6, "6", "Pending"), ((int?)outreach["count"], (string?)outreach["display"], (string?)outreach["outcome"]));
        var hospital = table.Single(c => (string?)c!["channel"] == "Hospital")!;
        Assert.Equal((null, "<5", "CourseOffered"), ((int?)hospital["count"], (string?)hospital["display"], (string?)hospital["outcome"]));
        Assert.Contains(await AuditTypeAsync("enquiry"), e => e.Action == AuditAction.Change && e.ResourceId == enquiryId);
    }

    [Fact]
    public async Task Intake_BadInput_Answers400NamingEachField_AndStoresNothing()
    {
        var year = DateTime.UtcNow.Year - 2;
        var bad = await AsWorker.PostAsJsonAsync("/api/intake", new { receivedOn = "2999-01-01", channel = "Carrier pigeon", anonymous = true, alias = "Rosa" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(new[] { "alias", "channel", "receivedOn" }, errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        var created = await AsWorker.PostAsJsonAsync("/api/intake", new { receivedOn = $"{year}-05-05", channel = "Ngo", anonymous = true });
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var otherCourse = await StartCourseAsync("medarbejder2@exit.demo");
        var decisions = new object[]
        {
            new { decision = "Maybe" },
            new { decision = "ReferredElsewhere", courseId = otherCourse },
            new { decision = "CourseOffered", courseId = otherCourse }, // not in this worker's caseload
        };
        string[][] expected = [["decision"], ["courseId"], ["courseId"]];
        for (var i = 0; i < decisions.Length; i++)
        {
            var response = await AsWorker.PostAsJsonAsync($"/api/intake/{id}/decision", decisions[i]);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(expected[i], (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        }

        var list = (await AsWorker.GetFromJsonAsync<JsonObject>($"/api/intake?from={year}-01-01&to={year}-12-31"))!["items"]!.AsArray();
        var only = Assert.Single(list)!;
        Assert.Null(only["decision"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.CreateClientAs(ExitRoles.Supervisor).GetAsync("/api/intake")).StatusCode);
    }

    private async Task<string> StartCourseAsync(string worker)
    {
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias = "Alias " + Guid.NewGuid().ToString("N")[..6] });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" });
        Assert.True(course.StatusCode == HttpStatusCode.Created, await course.Content.ReadAsStringAsync());
        return (string)(await course.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;
    }

    private async Task<List<AuditEntry>> AuditAsync(string courseId, AuditAction action)
    {
        using var scope = fixture.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.ResourceId == courseId && e.Action == action).ToListAsync();
    }

    private async Task<List<AuditEntry>> AuditTypeAsync(string resourceType)
    {
        using var scope = fixture.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.ResourceType == resourceType).ToListAsync();
    }
}
