using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;

namespace Exit.Host.Tests.Auth;

/// <summary>Per-task rules of <see cref="TaskAccess"/> through the real API.</summary>
public sealed class TaskAccessTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task Worker_ListWithoutFilter_SeesOnlyTasksAssignedToThem()
    {
        var mine = await host.StartTaskAsync("course-201");
        var other = await host.StartTaskAsync("course-202");
        var manager = host.Host.CreateClientAs(ExitRoles.Manager);
        await manager.PostAsJsonAsync($"/api/tasks/{mine}/assign", new { assignee = TestApiKeys.UserNameFor(ExitRoles.Worker) });
        await manager.PostAsJsonAsync($"/api/tasks/{other}/assign", new { assignee = "medarbejder2@exit.demo" });

        var list = await host.Host.CreateClientAs(ExitRoles.Worker).GetFromJsonAsync<JsonObject>("/api/tasks?status=Open");

        var ids = list!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.Contains(mine, ids);
        Assert.DoesNotContain(other, ids);
    }

    [Fact]
    public async Task Worker_ListByTheirRole_SeesUnassignedRoleTasksButNotOthersAssignedOnes()
    {
        var pool = await host.StartTaskAsync("course-203");
        var taken = await host.StartTaskAsync("course-204");
        await host.Host.CreateClientAs(ExitRoles.Manager).PostAsJsonAsync($"/api/tasks/{taken}/assign", new { assignee = "medarbejder2@exit.demo" });

        var list = await host.Host.CreateClientAs(ExitRoles.Worker).GetFromJsonAsync<JsonObject>("/api/tasks?role=worker&status=Open");

        var ids = list!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.Contains(pool, ids);
        Assert.DoesNotContain(taken, ids);
    }

    [Fact]
    public async Task Worker_ListSomeoneElsesTasksOrAnotherRole_Answers403()
    {
        var worker = host.Host.CreateClientAs(ExitRoles.Worker);

        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/api/tasks?assignee=medarbejder2@exit.demo")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/api/tasks?role=manager")).StatusCode);
    }

    [Fact]
    public async Task Worker_CompletesAPoolTaskOfTheirRole_ButNotSomeoneElses()
    {
        var pool = await host.StartTaskAsync("course-205");
        var taken = await host.StartTaskAsync("course-206");
        await host.Host.CreateClientAs(ExitRoles.Manager).PostAsJsonAsync($"/api/tasks/{taken}/assign", new { assignee = "medarbejder2@exit.demo" });
        var worker = host.Host.CreateClientAs(ExitRoles.Worker);

        var done = await worker.PostAsJsonAsync($"/api/tasks/{pool}/complete", new { outcome = "Approved" });
        var refused = await worker.PostAsJsonAsync($"/api/tasks/{taken}/complete", new { outcome = "Approved" });

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var task = await host.Host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{pool}");
        Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Worker), (string?)task!["completedBy"]);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Manager_SeesEveryTask_ButCompletingOthersTasksIs403()
    {
        var taken = await host.StartTaskAsync("course-207");
        var manager = host.Host.CreateClientAs(ExitRoles.Manager);
        await manager.PostAsJsonAsync($"/api/tasks/{taken}/assign", new { assignee = "medarbejder2@exit.demo" });

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/tasks/{taken}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync($"/api/tasks/{taken}/complete", new { outcome = "Approved" })).StatusCode);
    }
}
