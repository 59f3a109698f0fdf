using System.Net;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14 item 4 through the real Host: published workflows whose JavaScript is a memory bomb, a catastrophic
/// regular expression and an endless loop each fault with an incident naming the limit, and /health stays 200.
/// </summary>
public sealed class JavaScriptSandboxHostTests
{
    private static string Flow(string script) => $$"""
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": {{JsonValue.Create(script).ToJsonString()}} } } }
        ],
        "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "say", "port": "In" } } ]
        """;

    [Fact]
    public async Task RunawayScripts_EndWithNamedIncidents_AndTheHostStaysHealthy()
    {
        using var host = new ExitHostFactory();
        var client = host.CreateClient();
        var cases = new (string Id, string Script, string Limit)[]
        {
            ("js-memory-bomb", "let s = 'x'; while (true) { s = s + s; }", "memory limit"),
            ("js-regex-bomb", "return /(a+)+$/.test('a'.repeat(40) + '!');", "regular-expression time limit"),
            ("js-endless-loop", "for (;;) { }", "statement limit"),
        };

        foreach (var (id, script, limit) in cases)
        {
            await WorkflowApi.ImportAsync(client, WorkflowApi.Definition(id, Flow(script)));
            var instanceId = await WorkflowApi.ExecuteAsync(client, id);
            var instance = await WorkflowApi.WaitForSubStatusAsync(client, instanceId, "Faulted", TimeSpan.FromSeconds(30));
            var incident = instance["workflowState"]!["incidents"]!.AsArray().Single()!;
            Assert.Equal("say", (string?)incident["activityId"]);
            Assert.Contains(limit, (string?)incident["message"]);
            Assert.DoesNotContain("stackTrace", instance.ToJsonString(), StringComparison.OrdinalIgnoreCase);

            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }
}
