using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.State;

namespace Exit.Host.Tests.Elsa;

/// <summary>Fixture data: the definition and instance the logged Studio session worked with.</summary>
public static class Seed
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Elsa", "Fixtures", name);

    /// <summary>The logged requests, preflights left out, in order.</summary>
    public static IReadOnlyList<JsonObject> ObservedRequests() =>
        File.ReadLines(FixturePath("observed-requests.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(r => r["method"]!.GetValue<string>() != "OPTIONS")
            .ToList();

    /// <summary>The model of the first save in the log: Timer → Delay → SendReport in a flowchart (wf1, version id wf1-v1).</summary>
    public static JsonObject Wf1Model()
    {
        var save = ObservedRequests().First(r => r["method"]!.GetValue<string>() == "POST" && r["path"]!.GetValue<string>() == "/elsa/api/workflow-definitions");
        return JsonNode.Parse(save["body"]!.GetValue<string>())!["model"]!.DeepClone().AsObject();
    }

    public static WorkflowDefinitionVersion Version(JsonObject model, string id, string definitionId, int version, bool isLatest, bool isPublished)
    {
        var json = model.DeepClone().AsObject();
        json["id"] = id;
        json["definitionId"] = definitionId;
        json["version"] = version;
        json["isLatest"] = isLatest;
        json["isPublished"] = isPublished;
        return new WorkflowDefinitionVersion
        {
            Id = id, DefinitionId = definitionId, Version = version, Name = json["name"]?.GetValue<string>() ?? definitionId,
            Description = json["description"]?.GetValue<string>(), IsLatest = isLatest, IsPublished = isPublished, CreatedAt = T0,
            Json = json, Graph = DefinitionJsonReader.Read(json).Graph,
        };
    }

    /// <summary>
    /// Instance inst1 of wf1-v1: the timer fired, Delay1 is waiting on a bookmark (activity instance ae2), and an
    /// earlier SendReport attempt faulted.
    /// </summary>
    public static void Inst1(FakeInstanceStore store)
    {
        store.Instances.Add(new WorkflowInstance
        {
            Id = "inst1", DefinitionId = "wf1", DefinitionVersionId = "wf1-v1", DefinitionVersion = 1, Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Suspended, CreatedAt = T0, UpdatedAt = T0.AddSeconds(3),
            Variables = new() { ["v1"] = JsonValue.Create("hello") },
            Incidents = [new Incident("report1", "Workflow1:flowchart1:report1", "ae3", "Acme.SendReport", "System.Net.HttpRequestException", "SMTP down", T0.AddSeconds(2))],
        });
        var seq = 0L;
        void Log(string aiid, string? parent, string activityId, string type, string nodeId, string evt, int second) =>
            store.Journal.Add(new JournalRecord("inst1", seq++, T0.AddSeconds(second), aiid, parent, activityId, type, 1, activityId, nodeId, evt, null,
                evt == "Started" ? new JsonObject { ["Interval"] = "1.00:00:00" } : null, null));
        Log("ae0", null, "flowchart1", "Elsa.Flowchart", "Workflow1:flowchart1", "Started", 0);
        Log("ae1", "ae0", "timer1", "Elsa.Timer", "Workflow1:flowchart1:timer1", "Started", 0);
        Log("ae1", "ae0", "timer1", "Elsa.Timer", "Workflow1:flowchart1:timer1", "Completed", 1);
        Log("ae3", "ae0", "report1", "Acme.SendReport", "Workflow1:flowchart1:report1", "Started", 2);
        Log("ae3", "ae0", "report1", "Acme.SendReport", "Workflow1:flowchart1:report1", "Faulted", 2);
        Log("ae2", "ae0", "delay1", "Elsa.Delay", "Workflow1:flowchart1:delay1", "Started", 3);
        Log("ae2", "ae0", "delay1", "Elsa.Delay", "Workflow1:flowchart1:delay1", "Suspended", 3);
        store.Bookmarks.Add(new Bookmark
        {
            Id = "bm1", InstanceId = "inst1", ActivityInstanceId = "ae2", ActivityNodeId = "Workflow1:flowchart1:delay1", Kind = "Elsa.Delay",
            DueAt = T0.AddSeconds(8), CreatedAt = T0.AddSeconds(3),
        });
    }

    public static string Compact(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
