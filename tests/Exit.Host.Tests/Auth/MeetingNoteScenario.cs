using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// A real CTI course on the real Host: worker A (the support-and-contact person, an API key) holds the first contact
/// meeting and writes a note, then a manager hands the course to worker B (a signed-in user). The tests read the
/// finished meeting as each person would.
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
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);

            var cti = scope.ServiceProvider.GetRequiredService<CtiCourseService>();
            var citizen = await cti.CreateCitizenAsync("Maja", null, CancellationToken.None);
            CourseId = (await cti.StartCourseAsync(citizen, WorkerA, CourseGoal.Exit, null, 1m, CancellationToken.None)).CourseId;
        }

        var manager = Host.CreateClientAs(ExitRoles.Manager);
        var open = await manager.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={CourseId}&status=Open");
        MeetingTaskId = (string)open!["items"]!.AsArray().Single(t => (string?)t!["kind"] == "cti.contact-meeting.first")!["id"]!;

        var done = await Host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync($"/api/tasks/{MeetingTaskId}/complete",
            new { outcome = "Held", data = new { heldOn = HeldOn, place = Place, note = Note, nextMeeting = "torsdag kl. 10" } });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        var reassigned = await manager.PostAsJsonAsync($"/api/courses/{CourseId}/reassign", new { worker = WorkerB, reason = "sygdom" });
        Assert.Equal(HttpStatusCode.NoContent, reassigned.StatusCode);

        WorkerBClient = Host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(WorkerBClient, WorkerB, Password)).StatusCode);
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }
}
