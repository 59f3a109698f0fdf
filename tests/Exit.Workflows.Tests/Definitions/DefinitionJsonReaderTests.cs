using System.Text;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionJsonReaderTests
{
    [Theory]
    [MemberData(nameof(DefinitionFixtures.All), MemberType = typeof(DefinitionFixtures))]
    public void Parse_ConformanceFixture_ReadsWithoutStructuralProblems(string fixture)
    {
        var parsed = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes(fixture));

        Assert.Empty(parsed.Problems);
        Assert.Equal(WellKnownTypes.Flowchart, parsed.Graph.Root.Type);
        Assert.NotEmpty(parsed.Graph.Root.Activities);
        Assert.NotNull(parsed.DefinitionId);
        Assert.All(parsed.Graph.Descendants(), n => Assert.False(string.IsNullOrEmpty(n.NodeId)));
    }

    [Theory]
    [MemberData(nameof(DefinitionFixtures.All), MemberType = typeof(DefinitionFixtures))]
    public void Parse_StringAndBytes_GiveTheSameDocument(string fixture)
    {
        var fromBytes = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes(fixture));
        var fromText = DefinitionJsonReader.Parse(DefinitionFixtures.Text(fixture));

        Assert.True(JsonNode.DeepEquals(fromBytes.Document, fromText.Document));
    }

    [Fact]
    public void Parse_FileWithByteOrderMark_IsRead()
    {
        var bytes = DefinitionFixtures.Bytes("import-and-publish/timer-workflow.json");
        Assert.Equal(0xEF, bytes[0]);

        var fromBytes = DefinitionJsonReader.Parse(bytes);
        var fromText = DefinitionJsonReader.Parse(Encoding.UTF8.GetString(bytes));

        Assert.Equal("TimerWorkflow", fromBytes.Name);
        Assert.Equal("TimerWorkflow", fromText.Name);
        Assert.Contains(fromBytes.Graph.Root.Activities, a => a.Type == WellKnownTypes.Timer);
    }

    [Fact]
    public void Parse_InvalidJson_ThrowsWithLineAndPosition()
    {
        const string json = "{\n  \"definitionId\": \"x\",\n  \"root\": { \"id\": \"a\" ,, }\n}";

        var ex = Assert.Throws<DefinitionFormatException>(() => DefinitionJsonReader.Parse(json));

        Assert.Equal(3, ex.LineNumber);
        Assert.NotNull(ex.Position);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("")]
    [InlineData("{\"root\": 5}")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("{\"root\": {\"id\": \"x\", \"id\": \"y\"}}")]
    [InlineData("{\"root\": {\"id\":\"f\",\"type\":\"Elsa.Flowchart\",\"activities\": {}}}")]
    public void Parse_WrongShape_ThrowsFormatException(string json)
    {
        Assert.Throws<DefinitionFormatException>(() => DefinitionJsonReader.Parse(json));
    }

    [Theory]
    [InlineData("""{"root":{"type":"Elsa.Flowchart","activities":[1]}}""")]
    [InlineData("""{"root":{"type":"Elsa.Flowchart","connections":"x"}}""")]
    [InlineData("""{"root":{"type":"Elsa.Flowchart","connections":[1,{"source":5,"target":[]},{"source":{"activity":5}}]}}""")]
    [InlineData("""{"variables":[1]}""")]
    [InlineData("""{"variables":{"$values":5}}""")]
    [InlineData("""{"customProperties":5}""")]
    [InlineData("""{"root":{"id":5,"nodeId":5,"version":"abc","type":"Elsa.Flowchart","customProperties":[],"activities":[]}}""")]
    [InlineData("""{"root":{"id":"r","type":"Elsa.Flowchart","activities":[{"id":"n","type":"Elsa.FlowNode","body":{"type":5}}]}}""")]
    [InlineData("""{"root":{"id":"r","type":"Elsa.Flowchart","activities":[{"id":"a","type":"X","in":{"typeName":5,"expression":{"type":7,"value":null}}}]}}""")]
    [InlineData("""{"root":{"id":"r","type":"Elsa.Flowchart","variables":[{"id":1,"name":[],"isArray":"yes","value":{"a":1}}]}}""")]
    public void Parse_OddShapes_ReadOrThrowFormatException(string json)
    {
        try
        {
            var parsed = DefinitionJsonReader.Parse(json);
            Assert.Equal(DefinitionJsonWriter.Export(parsed), DefinitionJsonWriter.Export(DefinitionJsonReader.Parse(DefinitionJsonWriter.Export(parsed))));
        }
        catch (DefinitionFormatException ex)
        {
            Assert.NotNull(ex.JsonPath);
        }
    }

    [Fact]
    public void Parse_OldFlatConnections_MapToNestedForm()
    {
        var parsed = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes("import-and-execute/implicit-loop.json"));

        var root = parsed.Graph.Root;
        Assert.Equal(6, root.Connections.Count);
        Assert.Contains(new FlowConnection("FlowDecision1", "True", "WriteLine3", "In"), root.Connections);
        var first = parsed.Document["root"]!["connections"]![0]!;
        Assert.Equal("WriteLine1", (string?)first["source"]!["activity"]);
        Assert.Equal("Done", (string?)first["source"]!["port"]);
        Assert.Equal("SetVariable1", (string?)first["target"]!["activity"]);
        Assert.Null(first["sourcePort"]);
    }

    [Fact]
    public void Parse_OldRootAndActivityProperties_AreMovedOrDropped()
    {
        var parsed = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes("import-and-execute/implicit-loop.json"));

        var root = parsed.Document["root"]!.AsObject();
        Assert.False(root.ContainsKey("start"));
        Assert.False(root.ContainsKey("applicationProperties"));
        Assert.Equal("Workflow1:Flowchart1", (string?)root["nodeId"]);
        var start = root["activities"]!.AsArray().Single(a => (string?)a!["id"] == "Start1")!.AsObject();
        Assert.False(start.ContainsKey("canStartWorkflow"));
        Assert.False(start.ContainsKey("source"));
        Assert.Equal(false, (bool?)start["customProperties"]!["canStartWorkflow"]);
        Assert.Equal("Workflow1:Flowchart1:Start1", (string?)start["nodeId"]);
        var node = parsed.Graph.Root.Activities.Single(a => a.Id == "Start1");
        Assert.Equal(false, (bool?)node.CustomProperties["canStartWorkflow"]);
        Assert.Empty(node.Inputs);
    }

    [Fact]
    public void Parse_LegacyFlag_CustomPropertiesWin()
    {
        const string json = """
            {"definitionId":"d","root":{"id":"f","type":"Elsa.Flowchart","activities":[
              {"id":"a","type":"Elsa.Timer","canStartWorkflow":false,"customProperties":{"canStartWorkflow":true}},
              {"id":"b","type":"Elsa.Timer","canStartWorkflow":true}]}}
            """;

        var parsed = DefinitionJsonReader.Parse(json);

        Assert.Equal(true, (bool?)parsed.Graph.Root.Activities[0].CustomProperties["canStartWorkflow"]);
        Assert.Equal(true, (bool?)parsed.Graph.Root.Activities[1].CustomProperties["canStartWorkflow"]);
    }

    [Fact]
    public void Parse_InputForms_BecomeInputValues()
    {
        const string json = """
            {"definitionId":"d","root":{"id":"f","type":"Elsa.Flowchart","activities":[
              {"id":"a","type":"X.Y","version":2,
               "wrapped":{"typeName":"String","expression":{"type":"JavaScript","value":"return 1;"},"memoryReference":{"id":"m"}},
               "nullType":{"typeName":"Boolean","expression":{"type":null,"value":true}},
               "noExpression":{"typeName":"Object","memoryReference":{"id":"v1"}},
               "odd":{"typeName":"String","expression":{"type":"Liquid","value":"{{x}}"}},
               "flag":true, "count":5, "text":"Hi", "nothing":null, "list":[1], "bag":{"a":1}}]}}
            """;

        var node = DefinitionJsonReader.Parse(json).Graph.Root.Activities[0];

        Assert.Equal(2, node.Version);
        Assert.Equal(new InputValue("JavaScript", JsonValue.Create("return 1;"), "String").Text, node.Inputs["wrapped"].Text);
        Assert.Equal("JavaScript", node.Inputs["wrapped"].ExpressionType);
        Assert.Equal("Literal", node.Inputs["nullType"].ExpressionType);
        Assert.Equal("True", node.Inputs["nullType"].Text);
        Assert.Equal(ExpressionTypes.None, node.Inputs["noExpression"].ExpressionType);
        Assert.Equal("v1", (string?)node.Inputs["noExpression"].Value!["memoryReference"]!["id"]);
        Assert.Equal("Liquid", node.Inputs["odd"].ExpressionType);
        Assert.Equal(("Literal", "True"), (node.Inputs["flag"].ExpressionType, node.Inputs["flag"].Text));
        Assert.Equal("5", node.Inputs["count"].Text);
        Assert.Equal("Hi", node.Inputs["text"].Text);
        Assert.False(node.Inputs.ContainsKey("nothing"));
        Assert.False(node.Inputs.ContainsKey("list"));
        Assert.False(node.Inputs.ContainsKey("bag"));
        Assert.False(node.Inputs.ContainsKey("id"));
        Assert.False(node.Inputs.ContainsKey("customProperties"));
    }

    [Fact]
    public void Parse_ConnectionVariants_AreAcceptedAndDeduplicated()
    {
        const string json = """
            {"definitionId":"d","root":{"id":"f","type":"Elsa.Flowchart","activities":[
              {"id":"a","type":"Elsa.Start"},{"id":"b","type":"Elsa.End"}],
              "connections":{"$values":[
                {"Source":{"Activity":"a","Port":"Done"},"Target":{"Activity":"b","Port":"In"}},
                {"source":{"activity":"a"},"target":{"activity":"b"}},
                {"source":"a","target":"b","sourcePort":"Done","targetPort":"In"}]}}}
            """;

        var parsed = DefinitionJsonReader.Parse(json);

        Assert.Equal([new FlowConnection("a", "Done", "b", "In")], parsed.Graph.Root.Connections);
        Assert.Single(parsed.Document["root"]!["connections"]!.AsArray());
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void Parse_SingleConnectionObject_BecomesAnArray()
    {
        const string json = """
            {"root":{"id":"f","type":"Elsa.Flowchart","activities":[{"id":"a","type":"Elsa.Start"},{"id":"b","type":"Elsa.End"}],
              "connections":{"source":{"activity":"a","port":"Done"},"target":{"activity":"b","port":"In"}}}}
            """;

        var parsed = DefinitionJsonReader.Parse(json);

        Assert.Single(parsed.Graph.Root.Connections);
        Assert.IsType<JsonArray>(parsed.Document["root"]!["connections"]);
    }

    [Fact]
    public void Parse_MissingNodeIdsAndVersions_AreFilled()
    {
        const string json = """
            {"root":{"id":"f","type":"Elsa.Flowchart","activities":[
              {"id":"n","type":"Elsa.FlowNode","body":{"id":"inner","type":"Elsa.Flowchart","activities":[{"id":"w","type":"Elsa.WriteLine"}]}}]}}
            """;

        var parsed = DefinitionJsonReader.Parse(json);

        var root = parsed.Graph.Root;
        Assert.Equal("Workflow1:f", root.NodeId);
        Assert.Equal(1, root.Version);
        var flowNode = root.Activities[0];
        Assert.Equal("Workflow1:f:n", flowNode.NodeId);
        Assert.NotNull(flowNode.Body);
        Assert.Equal("Workflow1:f:n:inner", flowNode.Body!.NodeId);
        Assert.Equal("Workflow1:f:n:inner:w", flowNode.Body.Activities[0].NodeId);
        Assert.False(flowNode.Inputs.ContainsKey("body"));
        Assert.Equal(1, (int?)parsed.Document["root"]!["activities"]![0]!["body"]!["activities"]![0]!["version"]);
        Assert.Equal(4, parsed.Graph.Descendants().Count());
    }

    [Fact]
    public void Parse_NullCollections_AreNormalised()
    {
        const string json = """
            {"$schema":"x","links":null,"definitionId":"d","variables":null,"inputs":null,"outputs":null,"outcomes":null,"customProperties":null,"options":null,
             "root":{"id":"f","type":"Elsa.Flowchart","activities":null,"connections":null}}
            """;

        var doc = DefinitionJsonReader.Parse(json).Document;

        Assert.False(doc.ContainsKey("$schema"));
        Assert.False(doc.ContainsKey("links"));
        foreach (var key in (string[])["variables", "inputs", "outputs", "outcomes"]) Assert.IsType<JsonArray>(doc[key]);
        Assert.IsType<JsonObject>(doc["customProperties"]);
        Assert.IsType<JsonObject>(doc["options"]);
        Assert.IsType<JsonArray>(doc["root"]!["activities"]);
        Assert.IsType<JsonArray>(doc["root"]!["connections"]);
        Assert.Equal("Workflow1:f", (string?)doc["root"]!["nodeId"]);
    }

    [Fact]
    public void Parse_NoRoot_CreatesEmptyFlowchart()
    {
        var parsed = DefinitionJsonReader.Parse("""{"definitionId":"d","name":"New","root":null}""");

        Assert.Equal(WellKnownTypes.Flowchart, parsed.Graph.Root.Type);
        Assert.Equal("Workflow1:Flowchart1", parsed.Graph.Root.NodeId);
        Assert.Empty(parsed.Graph.Root.Activities);
    }

    [Fact]
    public void Parse_RootWithoutType_IsAFlowchart()
    {
        var parsed = DefinitionJsonReader.Parse("""{"definitionId":"d","root":{"id":"r"}}""");

        Assert.Equal(WellKnownTypes.Flowchart, parsed.Graph.Root.Type);
        Assert.IsType<JsonArray>(parsed.Document["root"]!["activities"]);
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void Parse_PascalCaseDocument_IsCamelCased()
    {
        var parsed = DefinitionJsonReader.Parse("""{"DefinitionId":"d","Name":"N","Root":{"Id":"f","Type":"Elsa.Flowchart","Activities":[{"Id":"a","Type":"Elsa.WriteLine","Text":"Hi"}]}}""");

        Assert.Equal("d", parsed.DefinitionId);
        Assert.Equal("Hi", parsed.Graph.Root.Activities[0].Inputs["text"].Text);
        Assert.True(parsed.Document.ContainsKey("definitionId"));
    }

    [Fact]
    public void Parse_DanglingConnectionsAndDuplicateIds_AreReported()
    {
        const string json = """
            {"root":{"id":"f","type":"Elsa.Flowchart","activities":[
              {"id":"a","name":"A","type":"Elsa.Start"},{"id":"a","name":"B","type":"Elsa.End"}],
              "connections":[{"source":{"activity":"a","port":"Done"},"target":{"activity":"ghost","port":"In"}},
                             {"source":{"activity":"a"}}]}}
            """;

        var problems = DefinitionJsonReader.Parse(json).Problems;

        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DuplicateActivityId && p.ActivityId == "a");
        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DanglingConnection && p.Message.Contains("'ghost'"));
        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.InvalidConnection);
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void Parse_Variables_AreRead()
    {
        var parsed = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes("import-and-execute/implicit-loop.json"));

        var variable = Assert.Single(parsed.Graph.Variables);
        Assert.Equal(new VariableDefinition("b1198ecccf3f435abe462dc37012cda9", "Counter", "Int32", false, "0",
            "Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core"), variable);
        var setVariable = parsed.Graph.Root.Activities.Single(a => a.Type == WellKnownTypes.SetVariable);
        Assert.Equal(ExpressionTypes.None, setVariable.Inputs["variable"].ExpressionType);
        Assert.Equal(variable.Id, (string?)setVariable.Inputs["variable"].Value!["id"]);
        Assert.Equal("getCounter() + 1", setVariable.Inputs["value"].Text);
    }
}
