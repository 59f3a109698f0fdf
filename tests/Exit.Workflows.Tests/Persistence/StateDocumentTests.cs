using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.State;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>The stored state document: the compact version 2 round-trips every field; version 1 rows still read.</summary>
public class StateDocumentTests
{
    [Fact]
    public void Serialize_EveryField_ReadsBackTheSameInstance()
    {
        var instance = Instance();
        instance.ActivityInstances.Add(new ActivityInstance
        {
            Id = "ai-odd", NodeId = "Workflow1:Flowchart1:Odd", ActivityId = "NotTheLastSegment", ActivityType = "Test.Odd",
            ParentId = "ai-gone", Status = ActivityStatus.Faulted, StartedAt = T0.AddTicks(12345),
            Properties = new JsonObject { ["TaskId"] = "t1", ["Outcomes"] = new JsonArray("A", "B") },
            ActivityState = new JsonObject { ["Title"] = "Mødenotat + plan", ["Assignee"] = null },
            Tokens = [new FlowToken { FromActivityId = "a", Outcome = "Done", ToActivityId = "b", Blocked = true }],
        });
        instance.Incidents.Add(new Incident("Odd", "Workflow1:Flowchart1:Odd", "ai-odd", "Test.Odd", "System.Exception", "boom", T0.AddMinutes(1)));
        instance.Fault = "boom";
        instance.Input["in"] = 1;
        instance.Output["out"] = "x";

        var json = InstanceStateSerializer.Serialize(instance);
        var read = InstanceStateSerializer.Deserialize(Row(instance, json));

        Assert.StartsWith("{\"v\":2", json);
        Assert.Equal(Canonical(instance), Canonical(read));
    }

    [Fact]
    public void Deserialize_Version1Document_ReadsAsBefore()
    {
        // A state column as the store wrote it before version 2 (taken from a bench database).
        const string version1 = """
            {"activityInstances":[{"id":"w1","nodeId":"Workflow1","activityId":"Workflow1","activityType":"Elsa.Workflow","status":"running","startedAt":"2026-11-23T19:19:13+00:00"},{"id":"f1","nodeId":"Workflow1:flowchart1","activityId":"flowchart1","activityType":"Elsa.Flowchart","parentId":"w1","status":"running","startedAt":"2026-11-23T19:19:13+00:00","tokens":[{"fromActivityId":"start1","outcome":"Done","toActivityId":"review1"}]},{"id":"r1","nodeId":"Workflow1:flowchart1:review1","activityId":"review1","activityType":"Exit.HumanTask","parentId":"f1","status":"running","startedAt":"2026-11-23T19:19:13+00:00","properties":{"TaskId":"t1","Outcomes":["Approved","Rejected"]},"activityState":{"Title":"Review the case","Instructions":null,"DueAt":"0001-01-01T00:00:00\u002B00:00"}}],"nextJournalSequence":6}
            """;
        var header = Instance();

        var read = InstanceStateSerializer.Deserialize(Row(header, version1.Trim()));

        Assert.Equal(["w1", "f1", "r1"], read.ActivityInstances.Select(a => a.Id));
        var review = read.ActivityInstances[2];
        Assert.Equal(("review1", "f1", ActivityStatus.Running), (review.ActivityId, review.ParentId, review.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 19, 19, 13, TimeSpan.Zero), review.StartedAt);
        Assert.Equal("0001-01-01T00:00:00+00:00", review.ActivityState!["DueAt"]!.GetValue<string>());
        Assert.Equal("review1", Assert.Single(read.ActivityInstances[1].Tokens!).ToActivityId);
        Assert.Equal(6, read.NextJournalSequence);
    }

    [Fact]
    public void Version2DocumentWithWholeNodeIdsAndState_ReadsAsBefore_AndIsWrittenShorter()
    {
        // A state column as the store wrote it before node paths were derived from the parent and a waiting activity's
        // state could be left out (taken from a bench database: an instance waiting on a human task).
        const string before = """
            {"v":2,"a":[{"i":"0Q9F~B1GT7nwRejJjupc4l","n":"Workflow1","t":"Elsa.Workflow"},{"i":"0Q9F~B1GT7nwRejKCtCn90","n":"Workflow1:flowchart1","t":"Elsa.Flowchart","p":0,"tk":[["start1","Done","review1"]]},{"i":"0Q9F~B1GT7nwRejL1y_hp0","n":"Workflow1:flowchart1:review1","t":"Exit.HumanTask","p":1,"pr":{"TaskId":"0Q9F~B1GT7nwRejLlzujnl","Outcomes":["Approved","Rejected"]},"st":{"Title":"Gennemgå sagen","Instructions":null,"Assignee":null,"Role":"worker","DueAt":"0001-01-01T00:00:00+00:00","DueIn":"P7D","Outcomes":["Approved","Rejected"],"FormSchema":null,"Kind":null},"sj":1}],"j":6}
            """;
        var header = Instance();

        var read = InstanceStateSerializer.Deserialize(Row(header, before.Trim()));

        Assert.Equal(["Workflow1", "Workflow1:flowchart1", "Workflow1:flowchart1:review1"], read.ActivityInstances.Select(a => a.NodeId));
        Assert.Equal(["Workflow1", "flowchart1", "review1"], read.ActivityInstances.Select(a => a.ActivityId));
        var review = read.ActivityInstances[2];
        Assert.Equal("Gennemgå sagen", review.ActivityState!["Title"]!.GetValue<string>());
        Assert.Equal("0Q9F~B1GT7nwRejLlzujnl", review.Properties!["TaskId"]!.GetValue<string>());

        // Written again: the children's node paths come from their parents, and the state (read, so not known to be one a
        // resume rebuilds) stays whole; read back it is the same instance.
        var again = InstanceStateSerializer.Serialize(read);
        Assert.DoesNotContain("\"n\":\"Workflow1:flowchart1", again, StringComparison.Ordinal);
        Assert.Contains("\"st\":{\"Title\"", again, StringComparison.Ordinal);
        // Ids that share their time part with the id before them are written as [shared length, rest].
        Assert.Contains("\"i\":[15,\"KCtCn90\"]", again, StringComparison.Ordinal);
        Assert.Equal(Canonical(read), Canonical(InstanceStateSerializer.Deserialize(Row(header, again))));
    }

    [Fact]
    public void Version2Document_PropertiesInAnyOrder_UnknownOnesAndNulls_ReadAsTheTreeReadingReadThem()
    {
        // Written by hand (after the version marker, which must come first): properties out of the writer's order, a property no version wrote (skipped), JSON nulls where a
        // property may be absent, a parent named by id (not in the list) and one by a later position, tokens with flags.
        const string document = """
            {"v":2,"zz":{"nested":[1,{"a":2}]},"j":9,"in":{"x":1},"a":[
              {"t":"Elsa.Workflow","n":"Workflow1","i":"0Q9F~B1GT7nwRejJjupc4l","sj":null,"s":null,"pr":null},
              {"tk":[["a","Done","b",3],["b","Done","c"]],"p":2,"i":[15,"KCtCn90"],"n":"Workflow1:flowchart1","t":"Elsa.Flowchart","at":42,"zz":[true]},
              {"i":"x","d":"review1","n":"Workflow1:flowchart1:other","t":"Exit.HumanTask","p":"ai-gone","s":"faulted","st":{"Title":"Gennemgå"},"sj":1,"pr":{"TaskId":"t1"}},
              {"i":"y","t":"Exit.HumanTask","p":1,"d":"child","sh":"abc"}
            ],"var":{"v":"first","n":null},"f":null,"out":{"y":[1,2]}}
            """;
        var header = Instance();

        var read = InstanceStateSerializer.Deserialize(Row(header, document.Trim()));

        Assert.Equal(["0Q9F~B1GT7nwRejJjupc4l", "0Q9F~B1GT7nwRejKCtCn90", "x", "y"], read.ActivityInstances.Select(a => a.Id));
        var (workflow, flowchart, review, child) = (read.ActivityInstances[0], read.ActivityInstances[1], read.ActivityInstances[2], read.ActivityInstances[3]);
        Assert.Equal((ActivityStatus.Running, (JsonObject?)null, (string?)null), (workflow.Status, workflow.Properties, workflow.ParentId));
        Assert.Equal("x", flowchart.ParentId);
        Assert.Equal(header.CreatedAt.AddTicks(42), flowchart.StartedAt);
        Assert.Equal([("a", true, true), ("b", false, false)], flowchart.Tokens!.Select(t => (t.FromActivityId, t.Consumed, t.Blocked)));
        Assert.Equal(("review1", "ai-gone", ActivityStatus.Faulted), (review.ActivityId, review.ParentId, review.Status));
        Assert.Equal("Gennemgå", review.ActivityState!["Title"]!.GetValue<string>());
        Assert.Equal("t1", review.Properties!["TaskId"]!.GetValue<string>());
        Assert.Equal(("Workflow1:flowchart1:child", "child", "0Q9F~B1GT7nwRejKCtCn90"), (child.NodeId, child.ActivityId, child.ParentId));
        Assert.Null(child.ActivityState);
        Assert.Equal(("first", true), (read.Variables["v"]!.GetValue<string>(), read.Variables.ContainsKey("n") && read.Variables["n"] is null));
        Assert.Equal((9L, (string?)null), (read.NextJournalSequence, read.Fault));
        Assert.Equal(("""{"x":1}""", """{"y":[1,2]}"""), (read.Input.ToJsonString(), read.Output.ToJsonString()));
        // The stored form's flags survive a write: "sj" (state as journaled) and "sh" (state left out, its hash).
        var again = InstanceStateSerializer.Serialize(read);
        Assert.Contains("\"sj\":1", again, StringComparison.Ordinal);
        Assert.Contains("\"sh\":\"abc\"", again, StringComparison.Ordinal);
    }

    private static InstanceRow Row(WorkflowInstance i, string state) => new()
    {
        Id = i.Id, TenantId = i.TenantId, DefinitionId = i.DefinitionId, DefinitionVersionId = i.DefinitionVersionId, Version = i.DefinitionVersion,
        CorrelationId = i.CorrelationId, Name = i.Name, Status = i.Status, SubStatus = i.SubStatus, IncidentCount = i.Incidents.Count,
        CreatedAt = i.CreatedAt, UpdatedAt = i.UpdatedAt, FinishedAt = i.FinishedAt, ConcurrencyVersion = i.ConcurrencyVersion, State = state,
    };

    /// <summary>The whole instance as one JSON text, instants as UTC ticks, for a field-by-field comparison.</summary>
    private static string Canonical(WorkflowInstance i) => JsonSerializer.Serialize(i, CanonicalOptions);

    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        Converters = { new JsonStringEnumConverter(), new TicksConverter() },
    };

    private sealed class TicksConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteNumberValue(value.UtcTicks);
    }
}
