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
