using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

public sealed class AuditTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task ReadingATask_WritesAnAllowedEntryWithUserAndCitizen()
    {
        var taskId = await host.StartTaskAsync("course-101");

        var response = await host.Host.CreateClientAs(ExitRoles.Worker).GetAsync($"/api/tasks/{taskId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(e => e.ResourceId == taskId && e.Action == AuditAction.Read));
        Assert.Equal(AuditOutcome.Allowed, entry.Outcome);
        Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Worker), entry.UserName);
        Assert.Equal("apikey:tests-worker", entry.UserId);
        Assert.Equal("citizen-101", entry.CitizenId);
        Assert.Equal("task", entry.ResourceType);
    }

    [Fact]
    public async Task ReadingSomeoneElsesTask_Answers404AndWritesADeniedEntry()
    {
        var taskId = await host.StartTaskAsync("course-102");
        var assign = await host.Host.CreateClientAs(ExitRoles.Manager).PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { assignee = "medarbejder2@exit.demo" });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

        var response = await host.Host.CreateClientAs(ExitRoles.Worker).GetAsync($"/api/tasks/{taskId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var denied = Assert.Single(await EntriesAsync(e => e.ResourceId == taskId && e.Outcome == AuditOutcome.Denied));
        Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Worker), denied.UserName);
        Assert.Equal("citizen-102", denied.CitizenId);
        Assert.Equal(AuditAction.Read, denied.Action);
    }

    [Fact]
    public async Task APolicyRefusal_OnTheTaskApi_WritesADeniedEntry()
    {
        var taskId = await host.StartTaskAsync("course-103");

        var response = await host.Host.CreateClientAs(ExitRoles.Coordinator).GetAsync($"/api/tasks/{taskId}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = Assert.Single(await EntriesAsync(e => e.ResourceId == taskId && e.Outcome == AuditOutcome.Denied));
        Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Coordinator), denied.UserName);
    }

    [Fact]
    public async Task CsvExport_ContainsTheRows_AndIsItselfAudited()
    {
        var taskId = await host.StartTaskAsync("course-104");
        await host.Host.CreateClientAs(ExitRoles.Manager).GetAsync($"/api/tasks/{taskId}");
        var admin = host.Host.CreateClientAs(ExitRoles.Admin);

        var response = await admin.GetAsync("/api/audit/export?citizenId=citizen-104");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,at,userId,userName,action,resourceType,resourceId,citizenId,purpose,outcome,ip", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(",apikey:tests-manager,Read,task," + taskId + ",citizen-104,", StringComparison.Ordinal));
        Assert.Single(await EntriesAsync(e => e.Action == AuditAction.Export && e.ResourceType == "audit-log" && e.CitizenId == "citizen-104"));

        var search = await admin.GetFromJsonAsync<JsonObject>("/api/audit?citizenId=citizen-104&action=Read");
        Assert.Contains(search!["items"]!.AsArray(), i => (string?)i!["resourceId"] == taskId && (string?)i["userName"] == "apikey:tests-manager");
    }

    [Fact]
    public async Task CitizenAccessLog_ListsDatesAndPurposes_WithoutStaffIdentities()
    {
        var taskId = await host.StartTaskAsync("course-105");
        await host.Host.CreateClientAs(ExitRoles.Worker).GetAsync($"/api/tasks/{taskId}");

        var response = await host.Host.CreateClientAs(ExitRoles.Admin).GetAsync("/api/audit/citizens/citizen-105/access-log");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("apikey:tests", text, StringComparison.Ordinal);
        Assert.DoesNotContain("userName", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("userId", text, StringComparison.OrdinalIgnoreCase);
        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        Assert.Contains(items, i => (string?)i!["action"] == "Read" && (string?)i["resourceType"] == "task" && i["at"] is not null);
    }

    [Fact]
    public async Task IAuditLog_DirectCall_WritesTheCallersEntry()
    {
        using var scope = host.Host.Services.CreateScope();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditLog>();
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, "u-1"), new(System.Security.Claims.ClaimTypes.Name, "leder@exit.demo")], "test"));

        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "course", "course-106", "citizen-106", "§141 handleplan"), user);

        var entry = Assert.Single(await EntriesAsync(e => e.CitizenId == "citizen-106"));
        Assert.Equal(("u-1", "leder@exit.demo", "§141 handleplan"), (entry.UserId, entry.UserName, entry.Purpose));
    }

    private async Task<List<AuditEntry>> EntriesAsync(System.Linq.Expressions.Expression<Func<AuditEntry, bool>> filter)
    {
        using var scope = host.Host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking().Where(filter).ToListAsync();
    }
}
