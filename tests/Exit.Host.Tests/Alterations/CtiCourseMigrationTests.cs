using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Alterations;

/// <summary>
/// A running CTI course moved to a new version of cti-course by a coordinator: its plan, tasks, dates and history are
/// the same afterwards, and the course page says which version it runs on and when that changed.
/// </summary>
public sealed class CtiCourseMigrationTests : IDisposable
{
    private const string Password = "a long test passphrase";
    private readonly ExitHostFactory _host = new();

    [Fact]
    public async Task MigrateCourse_KeepsTimelineAndTasks_AndTheCoursePageShowsTheNewVersion()
    {
        var email = "migrate.worker@test.dk";
        using (var scope = _host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);
        }
        var worker = _host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(worker, email, Password)).StatusCode);
        var citizen = await worker.PostAsJsonAsync("/api/citizens", new { alias = "Flyttes" });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var started = await worker.PostAsJsonAsync("/api/courses", new { citizenId, worker = email, goal = "Exit" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var courseId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;

        var page = await worker.GetStringAsync($"/worker/courses/{courseId}");
        Assert.Contains("Arbejdsgang version 1 siden", page);
        var timelineBefore = await worker.GetStringAsync($"/api/courses/{courseId}/timeline");
        var tasksBefore = await OpenTasksAsync(worker, courseId);
        Assert.NotEmpty(tasksBefore);

        // A corrected cti-course (here: a new description) becomes version 2.
        var coordinator = _host.CreateClientAs(ExitRoles.Coordinator);
        var exported = JsonNode.Parse(await coordinator.GetStringAsync("/elsa/api/workflow-definitions/cti-course/export"))!.AsObject();
        exported["description"] = "Rettet udgave";
        var import = await coordinator.PostAsync("/elsa/api/workflow-definitions/import",
            new StringContent(exported.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        var targetVersion = (int)(await import.Content.ReadFromJsonAsync<JsonObject>())!["version"]!;
        Assert.True(targetVersion > 1);

        var run = await coordinator.PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "Migrate", targetVersion } },
            filter = new { correlationIds = new[] { courseId } },
        });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var result = (await run.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray().Single()!;
        Assert.True((bool)result["isSuccessful"]!, result.ToJsonString());

        Assert.Equal(timelineBefore, await worker.GetStringAsync($"/api/courses/{courseId}/timeline"));
        Assert.Equal(tasksBefore, await OpenTasksAsync(worker, courseId));
        page = await worker.GetStringAsync($"/worker/courses/{courseId}");
        Assert.Contains($"Arbejdsgang version {targetVersion}, skiftet", page);

        // The course goes on along the new version: its decision is taken and phase 1 starts.
        var decision = await worker.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" });
        Assert.True(decision.IsSuccessStatusCode, await decision.Content.ReadAsStringAsync());
        var timeline = await worker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        Assert.Contains("Phase1", timeline!.ToJsonString());
    }

    private static async Task<string> OpenTasksAsync(HttpClient client, string courseId)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}&status=Open");
        return string.Join(";", page!["items"]!.AsArray().Select(t => $"{t!["id"]}|{t["title"]}|{t["dueAt"]}").Order());
    }

    public void Dispose() => _host.Dispose();
}
