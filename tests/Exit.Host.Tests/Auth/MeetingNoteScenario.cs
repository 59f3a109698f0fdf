using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// A real CTI course on the real Host: worker A (an API key) holds the first contact meeting of a course started
/// before the contact rhythm and writes a note, then a manager hands the course to worker B (a signed-in user). The
/// tests read the finished meeting as each person would. New courses no longer raise meeting tasks, so the meeting is
/// raised as the old definition raised it: an <c>Exit.HumanTask</c> of kind <c>cti.contact-meeting.first</c>
/// correlated with the course (its note is a municipal case note either way).
/// </summary>
public sealed class MeetingNoteScenario : IAsyncLifetime
{
    public const string Note = "Hun fortalte om sin gæld til bagmanden";
    public const string Place = "Café Nørrebro bagerst";
    public const string HeldOn = "2026-03-02";
    public const string WorkerB = "skp.b@test.dk";
    private const string Password = "correct horse battery";

    public ExitHostFactory Host { get; } = new();
    public static string WorkerA => TestApiKeys.UserNameFor(ExitRoles.Worker);
    public Guid CourseId { get; private set; }
    public string MeetingTaskId { get; private set; } = "";
    public HttpClient WorkerBClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using (var scope = Host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = WorkerB, Email = WorkerB, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);

            var cti = scope.ServiceProvider.GetRequiredService<CtiCourseService>();
            var citizen = await cti.CreateCitizenAsync("Maja", null, CancellationToken.None);
            CourseId = (await cti.StartCourseAsync(citizen, WorkerA, CourseGoal.Exit, null, 1m, CancellationToken.None)).CourseId;
            await scope.ServiceProvider.GetRequiredService<DefinitionPublisher>().ImportAsync(LegacyMeetingDefinition, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(
                new StartWorkflowRequest("legacy-first-meeting", CorrelationId: CourseId.ToString()), CancellationToken.None);
        }

        var manager = Host.CreateClientAs(ExitRoles.Manager);
        var open = await manager.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={CourseId}&status=Open");
        MeetingTaskId = (string)open!["items"]!.AsArray().Single(t => (string?)t!["kind"] == "cti.contact-meeting.first")!["id"]!;

        var done = await Host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync($"/api/tasks/{MeetingTaskId}/complete",
            new { outcome = "Held", data = new { heldOn = HeldOn, place = Place, note = Note, nextMeeting = "torsdag kl. 10" } });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        // A second meeting of the same course, still open.
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(
                new StartWorkflowRequest("legacy-first-meeting", CorrelationId: CourseId.ToString()), CancellationToken.None);
        }

        var reassigned = await manager.PostAsJsonAsync($"/api/courses/{CourseId}/reassign", new { worker = WorkerB, reason = "sygdom" });
        Assert.Equal(HttpStatusCode.NoContent, reassigned.StatusCode);

        WorkerBClient = Host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(WorkerBClient, WorkerB, Password)).StatusCode);
    }

    /// <summary>The first meeting as the pre-rhythm course definition raised it.</summary>
    private static string LegacyMeetingDefinition => $$"""
        {
          "id": "legacy-first-meeting-v1", "definitionId": "legacy-first-meeting", "name": "Legacy first meeting", "version": 1,
          "isLatest": true, "isPublished": true, "variables": [], "inputs": [], "outputs": [], "outcomes": [],
          "root": {
            "id": "flowchart1", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start1", "type": "Elsa.Start", "version": 1 },
              { "id": "meeting1", "type": "Exit.HumanTask", "version": 1,
                "title": { "typeName": "String", "expression": { "type": "Literal", "value": "First meeting with the citizen" } },
                "assignee": { "typeName": "String", "expression": { "type": "Literal", "value": "{{WorkerA}}" } },
                "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } },
                "kind": { "typeName": "String", "expression": { "type": "Literal", "value": "cti.contact-meeting.first" } },
                "outcomes": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"Held\",\"Missed\"]" } } },
              { "id": "end1", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start1", "port": "Done" }, "target": { "activity": "meeting1", "port": "In" } },
              { "source": { "activity": "meeting1", "port": "Held" }, "target": { "activity": "end1", "port": "In" } }
            ]
          }
        }
        """;

    public Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }
}
