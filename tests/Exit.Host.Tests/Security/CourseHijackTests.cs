using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Persistence;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14 item 2: a course cannot change hands through the Elsa API. The attack from the issue, run as the
/// coordinator (no citizen data): execute cti-course with an existing course id as correlationId and another
/// worker as input.
/// </summary>
public sealed class CourseHijackTests(CourseHijackTests.HostFixture fixture) : IClassFixture<CourseHijackTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();

        public async Task CreateUserAsync(string email, params string[] roles)
        {
            using var scope = Host.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        }
    }

    private const string Password = "a long test passphrase";
    private static readonly string Worker1 = TestApiKeys.UserNameFor(ExitRoles.Worker);

    [Fact]
    public async Task CoordinatorExecutesCtiCourseWithAnExistingCourseId_IsRefused_AndTheCourseStaysTheFirstWorkers()
    {
        var worker2 = "medarbejder2-" + Guid.NewGuid().ToString("N")[..6] + "@test.dk";
        await fixture.CreateUserAsync(worker2, ExitRoles.Worker);
        var (citizenId, courseId) = await StartCourseAsync(Worker1);
        var coordinator = fixture.Host.CreateClientAs(ExitRoles.Coordinator);

        var attack = await coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions/cti-course/execute", new
        {
            correlationId = courseId,
            input = new { citizenId, worker = worker2 },
        });

        Assert.Equal(HttpStatusCode.Conflict, attack.StatusCode);
        Assert.Equal("application/problem+json", attack.Content.Headers.ContentType?.MediaType);
        var problem = (await attack.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]!["correlationId"]);

        var first = fixture.Host.CreateClientAs(ExitRoles.Worker);
        var timeline = await first.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        Assert.Equal(Worker1, (string?)timeline!["responsibleWorker"]);

        var second = fixture.Host.CreateClient(); // follows the sign-in redirect, keeps the cookie
        second.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.OK, (await AuthHost.SignInAsync(second, worker2, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);

        using var scope = fixture.Host.Services.CreateScope();
        var audit = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        var refusal = await audit.AuditEntries.AsNoTracking()
            .Where(e => e.UserName == TestApiKeys.UserNameFor(ExitRoles.Coordinator) && e.Outcome == AuditOutcome.Denied)
            .ToListAsync();
        Assert.Contains(refusal, e => e.Purpose != null && e.Purpose.Contains("run cti-course") && e.Purpose.Contains("correlationId"));
    }

    [Fact]
    public async Task CoordinatorExecutesCtiCourseForAMadeUpCitizen_IsRefused_AndNoCourseExists()
    {
        var courseId = Guid.NewGuid().ToString();
        var coordinator = fixture.Host.CreateClientAs(ExitRoles.Coordinator);

        var response = await coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions/cti-course/execute", new
        {
            correlationId = courseId,
            input = new { citizenId = Guid.NewGuid().ToString(), worker = Worker1 },
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["definitionId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Host.CreateClientAs(ExitRoles.Manager).GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);
        using var scope = fixture.Host.Services.CreateScope();
        var instances = await scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>()
            .ListAsync(new InstanceFilter(CorrelationId: courseId), CancellationToken.None);
        Assert.Equal(0, instances.TotalCount);
    }

    [Fact]
    public async Task ExecuteTwiceWithOneCorrelationId_SecondIs409NamingCorrelationId_AndTheRunIsAudited()
    {
        var correlationId = "order-" + Guid.NewGuid().ToString("N")[..8];
        var coordinator = fixture.Host.CreateClientAs(ExitRoles.Coordinator);

        var first = await coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions/task-then-timer/execute", new { correlationId });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var instanceId = first.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var second = await coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions/task-then-timer/execute", new { correlationId });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.NotNull((await second.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["correlationId"]);
        using var scope = fixture.Host.Services.CreateScope();
        var entry = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking()
            .SingleAsync(e => e.ResourceId == instanceId && e.Action == AuditAction.Change);
        Assert.Equal((TestApiKeys.UserNameFor(ExitRoles.Coordinator), AuditOutcome.Allowed), (entry.UserName, entry.Outcome));
        Assert.Contains("run task-then-timer", entry.Purpose);
    }

    [Fact]
    public async Task CtiCourseStartedOutsideTheCtiService_FaultsWithoutACourse()
    {
        // As an event or timer trigger would start it: straight through the runtime, no CTI service ticket.
        var (citizenId, courseId) = await StartCourseAsync(Worker1);
        using var scope = fixture.Host.Services.CreateScope();
        var runtime = scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();

        var result = await runtime.StartAsync(new StartWorkflowRequest("cti-course", CorrelationId: Guid.NewGuid().ToString(),
            Input: new JsonObject { ["citizenId"] = citizenId, ["worker"] = "someone-else" }), CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Contains("only through the CTI service", Assert.Single(result.Incidents).Message);
        var course = await scope.ServiceProvider.GetRequiredService<CtiCourseService>().GetCourseAsync(Guid.Parse(courseId), CancellationToken.None);
        Assert.Equal(Worker1, course.ResponsibleWorkerId.Value);
    }

    [Fact]
    public async Task CtiStore_RefusesAWriteToACourseFromAnotherInstance()
    {
        var (_, courseId) = await StartCourseAsync(Worker1);
        var services = fixture.Host.Services;
        var state = (await services.CreateScope().ServiceProvider.GetRequiredService<CtiCourseService>()
            .GetCourseAsync(Guid.Parse(courseId), CancellationToken.None)).ToState();
        var participant = services.GetServices<ICommitParticipant>().OfType<CtiCommitParticipant>().Single();

        await using var connection = new SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Assert.ThrowsAsync<CourseOwnedByAnotherInstanceException>(() => participant.ApplyAsync(
            new CommitContext(connection, transaction, DatabaseProvider.Sqlite),
            [new CourseSaved(state, "intruding-instance", DateTimeOffset.UtcNow)], CancellationToken.None));
    }

    private async Task<(string CitizenId, string CourseId)> StartCourseAsync(string worker)
    {
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias = "Alias " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, citizen.StatusCode);
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" });
        Assert.True(course.StatusCode == HttpStatusCode.Created, await course.Content.ReadAsStringAsync());
        return (citizenId, (string)(await course.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!);
    }
}
