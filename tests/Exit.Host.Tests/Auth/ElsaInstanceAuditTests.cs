using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// Opening a course's workflow instance in Studio reads citizen data: each instance read is in the audit log with the
/// citizen behind the instance's correlation id, a list is a Search, and a refused attempt is logged as denied.
/// </summary>
public sealed class ElsaInstanceAuditTests(AuthHost host) : IClassFixture<AuthHost>
{
    public static TheoryData<string, string, string> InstanceReads => new()
    {
        { "GET", "/elsa/api/workflow-instances/{0}", "course-301" },
        { "POST", "/elsa/api/workflow-instances/{0}/journal", "course-302" },
        { "GET", "/elsa/api/workflow-instances/{0}/variables", "course-303" },
        { "GET", "/elsa/api/workflow-instances/{0}/execution-state", "course-304" },
        { "GET", "/elsa/api/activity-executions/list?workflowInstanceId={0}", "course-305" },
        { "GET", "/elsa/api/activity-execution-summaries/list?workflowInstanceId={0}", "course-306" },
        { "POST", "/elsa/api/activity-executions/report", "course-307" },
    };

    [Theory]
    [MemberData(nameof(InstanceReads))]
    public async Task ReadingAnInstance_WritesAReadEntryWithTheCourseCitizen(string method, string template, string course)
    {
        var instanceId = await InstanceOfAsync(course);
        var coordinator = host.Host.CreateClientAs(ExitRoles.Coordinator);

        var response = method == "GET"
            ? await coordinator.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, instanceId))
            : await coordinator.PostAsJsonAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, instanceId),
                new { workflowInstanceId = instanceId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(e => e.ResourceId == instanceId && e.UserName == TestApiKeys.UserNameFor(ExitRoles.Coordinator)));
        Assert.Equal((AuditAction.Read, "workflow-instance", AuditOutcome.Allowed), (entry.Action, entry.ResourceType, entry.Outcome));
        Assert.Equal("citizen-" + course["course-".Length..], entry.CitizenId);
    }

    [Fact]
    public async Task ReadingOneActivityExecution_IsAReadOfItsInstance()
    {
        var instanceId = await InstanceOfAsync("course-401");
        var coordinator = host.Host.CreateClientAs(ExitRoles.Coordinator);
        var list = await coordinator.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/list?workflowInstanceId={instanceId}");
        var recordId = (string)list!["items"]!.AsArray().First()!["id"]!;

        var response = await coordinator.GetAsync($"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString(recordId)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await EntriesAsync(e => e.ResourceId == instanceId && e.Action == AuditAction.Read && e.CitizenId == "citizen-401")).Count);
    }

    [Fact]
    public async Task ListingInstancesOfACourse_WritesASearchEntryWithTheCitizen()
    {
        await InstanceOfAsync("course-402");

        var response = await host.Host.CreateClientAs(ExitRoles.Manager).PostAsJsonAsync("/elsa/api/workflow-instances", new { correlationId = "course-402" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(e => e.Action == AuditAction.Search && e.ResourceType == "workflow-instance" && e.CitizenId == "citizen-402"));
        Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Manager), entry.UserName);
    }

    [Fact]
    public async Task ARefusedInstanceRead_IsLoggedAsDenied()
    {
        var instanceId = await InstanceOfAsync("course-403");

        var response = await host.Host.CreateClientAs(ExitRoles.Worker).GetAsync($"/elsa/api/workflow-instances/{instanceId}/variables");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // The instance's start by execute is audited too (a Change); the refused read is the one Read.
        var entry = Assert.Single(await EntriesAsync(e => e.ResourceId == instanceId && e.Action == AuditAction.Read));
        Assert.Equal((AuditOutcome.Denied, "workflow-instance"), (entry.Outcome, entry.ResourceType));
    }

    [Fact]
    public async Task AnUnknownInstance_AnswersNotFoundAndNamesNoCitizen()
    {
        var response = await host.Host.CreateClientAs(ExitRoles.Coordinator).GetAsync("/elsa/api/workflow-instances/no-such-instance");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // The refusal is in the caller's audit log (a probe for an id that is not the caller's to see), naming no citizen.
        var entry = Assert.Single(await EntriesAsync(e => e.ResourceId == "no-such-instance"));
        Assert.Equal((AuditOutcome.Denied, RefusalAudit.ResourceType, (string?)null), (entry.Outcome, entry.ResourceType, entry.CitizenId));
    }

    private async Task<string> InstanceOfAsync(string course)
    {
        await host.StartTaskAsync(course);
        var list = await host.Host.CreateClient().GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={course}");
        return (string)list!["items"]!.AsArray().First()!["instanceId"]!;
    }

    private async Task<List<AuditEntry>> EntriesAsync(System.Linq.Expressions.Expression<Func<AuditEntry, bool>> filter)
    {
        using var scope = host.Host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking().Where(filter).ToListAsync();
    }
}
