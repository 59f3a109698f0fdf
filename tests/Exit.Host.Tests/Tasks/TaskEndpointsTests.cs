using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Exit.Host.Tests.Tasks;

public sealed class TaskEndpointsTests : IAsyncLifetime
{
    private TaskApi _api = null!;

    public async Task InitializeAsync() => _api = await TaskApi.StartAsync();
    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task List_BadQuery_400ProblemNamingEveryProblem()
    {
        var response = await _api.Client.GetAsync("/api/tasks?status=Bogus&overdue=maybe&page=-1&pageSize=100000");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["status", "overdue", "page", "pageSize"], errors.Select(e => e.Key));
        Assert.Contains("Open, Completed, Cancelled", errors["status"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task List_OverdueForAssignee_ReturnsOpenTasksDueBeforeNowOrderedByDue()
    {
        var now = _api.Clock.GetUtcNow();
        await _api.CreateAsync("late2", now.AddHours(-1));
        await _api.CreateAsync("late1", now.AddDays(-1));
        await _api.CreateAsync("future", now.AddDays(1));
        await _api.CreateAsync("bo-late", now.AddDays(-1), assignee: "bo");

        var page = await _api.Client.GetFromJsonAsync<JsonObject>("/api/tasks?assignee=anna&overdue=true&status=open&pageSize=10");

        Assert.Equal(["late1", "late2"], page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(2, page["totalCount"]!.GetValue<int>());
        Assert.Equal("Open", page["items"]![0]!["status"]!.GetValue<string>());
        Assert.True(page["items"]![0]!["isOverdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Get_Unknown_404Problem()
    {
        var problem = await ProblemAsync(await _api.Client.GetAsync("/api/tasks/nope"), HttpStatusCode.NotFound);
        Assert.Equal(404, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Complete_Then_CompleteAgain_200Then409AndFirstOutcomeKept()
    {
        await _api.CreateAsync("t1");

        var first = await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":"Approve","data":{"note":"ok"}}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Approve", (await first.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]!.GetValue<string>());

        var second = await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":"Reject"}"""));
        await ProblemAsync(second, HttpStatusCode.Conflict);

        var task = await _api.Client.GetFromJsonAsync<JsonObject>("/api/tasks/t1");
        Assert.Equal(("Completed", "Approve", "ok"), (task!["status"]!.GetValue<string>(), task["outcome"]!.GetValue<string>(), task["data"]!["note"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Complete_BadBody_400NamingOutcomeAndData()
    {
        await _api.CreateAsync("t1");

        var problem = await ProblemAsync(
            await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":" ","data":[1,2]}""")), HttpStatusCode.BadRequest);

        Assert.Equal(["outcome", "data"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Complete_OutcomeNotAllowed_400ListingAllowedOutcomes()
    {
        await _api.CreateAsync("t1");

        var problem = await ProblemAsync(
            await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":"Maybe"}""")), HttpStatusCode.BadRequest);

        Assert.Contains("Approve, Reject", problem["errors"]!["outcome"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_MalformedJson_400NamingBody()
    {
        var problem = await ProblemAsync(
            await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":""")), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["body"]);
    }

    [Fact]
    public async Task Complete_Unknown_404() =>
        await ProblemAsync(await _api.Client.PostAsync("/api/tasks/nope/complete", Json("""{"outcome":"Approve"}""")), HttpStatusCode.NotFound);

    [Fact]
    public async Task Assign_ChangesAssigneeAndRecordsHistory_ThenBlank400_AndAfterCompletion409()
    {
        await _api.CreateAsync("t1", assignee: "anna");

        var assigned = await _api.Client.PostAsync("/api/tasks/t1/assign", Json("""{"assignee":"bo"}"""));
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var task = await assigned.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("bo", task!["assignee"]!.GetValue<string>());
        Assert.Equal("anna", task["assignments"]![0]!["from"]!.GetValue<string>());

        var blank = await ProblemAsync(await _api.Client.PostAsync("/api/tasks/t1/assign", Json("""{"assignee":""}""")), HttpStatusCode.BadRequest);
        Assert.NotNull(blank["errors"]!["assignee"]);

        await _api.Client.PostAsync("/api/tasks/t1/complete", Json("""{"outcome":"Approve"}"""));
        await ProblemAsync(await _api.Client.PostAsync("/api/tasks/t1/assign", Json("""{"assignee":"carl"}""")), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Assign_Unknown_404() =>
        await ProblemAsync(await _api.Client.PostAsync("/api/tasks/nope/assign", Json("""{"assignee":"bo"}""")), HttpStatusCode.NotFound);
}
