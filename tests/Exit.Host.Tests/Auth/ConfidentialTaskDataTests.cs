using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Xunit;

namespace Exit.Host.Tests.Auth;

/// <summary>A supervision note is for the supervisor: a manager sees the task and that it was done, never the note.</summary>
public sealed class ConfidentialTaskDataTests : IDisposable
{
    private readonly ExitHostFactory _host = new();

    private const string Flow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "supervise", "type": "Exit.HumanTask", "version": 1,
            "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Supervision" } },
            "kind": { "typeName": "String", "expression": { "type": "Literal", "value": "cti.supervision" } },
            "role": { "typeName": "String", "expression": { "type": "Literal", "value": "supervisor" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "supervise", "port": "In" } },
          { "source": { "activity": "supervise", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    [Fact]
    public async Task GetTask_CompletedSupervisionNote_IsWithheldFromManagerButShownToSupervisor()
    {
        var admin = _host.CreateClient();
        await WorkflowApi.ImportAsync(admin, WorkflowApi.Definition("confidential-note", Flow));
        await WorkflowApi.ExecuteAsync(admin, "confidential-note", "note-1");
        var supervisor = _host.CreateClientAs(ExitRoles.Supervisor);
        var manager = _host.CreateClientAs(ExitRoles.Manager);
        var list = await manager.GetFromJsonAsync<JsonObject>("/api/tasks?correlationId=note-1");
        var taskId = (string)list!["items"]!.AsArray().Single()!["id"]!;

        var done = await supervisor.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Done", data = new { note = "private reflections" } });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        var seenByManager = await manager.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("Completed", (string?)seenByManager!["status"]);
        Assert.Null(seenByManager["data"]);
        Assert.DoesNotContain("private reflections", seenByManager.ToJsonString());

        var seenBySupervisor = await supervisor.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("private reflections", (string?)seenBySupervisor!["data"]!["note"]);
    }

    public void Dispose() => _host.Dispose();
}
