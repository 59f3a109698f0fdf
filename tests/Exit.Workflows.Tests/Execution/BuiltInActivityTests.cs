using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.State;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

public sealed class BuiltInActivityTests
{
    private static string Flow(string id, string activities, string connections, string extra = "") => $$"""
        {
          "definitionId": "{{id}}", "id": "{{id}}-v1", "name": "{{id}}" {{extra}},
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart", "activities": [{{activities}}], "connections": [{{connections}}] }
        }
        """;

    private static string Connect(string from, string to, string port = "Done") =>
        $$"""{ "source": "{{from}}", "target": "{{to}}", "sourcePort": "{{port}}", "targetPort": "In" }""";

    private static async Task<(WorkflowHarness Harness, WorkflowRunResult Result)> RunAsync(
        string activities, string connections, string extra = "", JsonObject? input = null)
    {
        var h = new WorkflowHarness();
        await h.PublishAsync(Flow("wf", """{ "id": "Start1", "type": "Elsa.Start" }, """ + activities, connections, extra));
        return (h, await h.StartAsync("wf", input: input));
    }

    [Fact]
    public async Task Timer_MidFlow_WaitsOneInterval()
    {
        var (h, result) = await RunAsync("""{ "id": "T", "type": "Elsa.Timer", "interval": "00:10:00" }""", Connect("Start1", "T"));
        await using var _ = h;

        Assert.Equal(h.Clock.GetUtcNow().AddMinutes(10), Assert.Single(result.Bookmarks).DueAt);
        Assert.Equal(WorkflowStatus.Finished, (await h.RunDueTimersAsync(result.InstanceId)).Status);
    }

    [Fact]
    public async Task StartAt_PastInstantCompletesAtOnce_FutureInstantWaits()
    {
        var (h, past) = await RunAsync("""{ "id": "S", "type": "Elsa.StartAt", "dateTime": "2020-01-01T00:00:00Z" }""", Connect("Start1", "S"));
        await using var _ = h;
        Assert.Equal(WorkflowStatus.Finished, past.Status);

        var (h2, future) = await RunAsync("""{ "id": "S", "type": "Elsa.StartAt", "dateTime": "2030-06-01T12:00:00+02:00" }""", Connect("Start1", "S"));
        await using var __ = h2;
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 10, 0, 0, TimeSpan.Zero), Assert.Single(future.Bookmarks).DueAt);
    }

    [Fact]
    public async Task Cron_SixFieldExpression_DueAtNextOccurrence()
    {
        var (h, result) = await RunAsync("""{ "id": "C", "type": "Elsa.Cron", "cronExpression": "0 0 * * * *" }""", Connect("Start1", "C"));
        await using var _ = h;

        var due = Assert.Single(result.Bookmarks).DueAt!.Value;
        Assert.Equal(h.Clock.GetUtcNow().AddHours(1), due); // the clock starts on the hour
    }

    [Fact]
    public async Task Delay_IsoDuration_IsAccepted()
    {
        var (h, result) = await RunAsync("""{ "id": "D", "type": "Elsa.Delay", "timeSpan": "PT90S" }""", Connect("Start1", "D"));
        await using var _ = h;

        Assert.Equal(h.Clock.GetUtcNow().AddSeconds(90), Assert.Single(result.Bookmarks).DueAt);
    }

    [Fact]
    public async Task Delay_CalendarMonths_AreAddedOnTheCopenhagenCalendar()
    {
        var (h, result) = await RunAsync("""{ "id": "D", "type": "Elsa.Delay", "timeSpan": "P4M" }""", Connect("Start1", "D"));
        await using var _ = h;

        // 5 Jan 10:00 Copenhagen (UTC+1) + 4 months = 5 May 10:00 Copenhagen (UTC+2) = 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 5, 5, 8, 0, 0, TimeSpan.Zero), Assert.Single(result.Bookmarks).DueAt!.Value.ToUniversalTime());
    }

    [Fact]
    public async Task Finish_DropsOtherWaitsAndFinishesTheWorkflow()
    {
        var (h, result) = await RunAsync(
            """{ "id": "E", "type": "Elsa.Event", "eventName": "never" }, { "id": "F", "type": "Elsa.Finish" }""",
            Connect("Start1", "E") + "," + Connect("Start1", "F"));
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Empty(await h.BookmarksAsync(result.InstanceId));
    }

    [Fact]
    public async Task Complete_InsideFlowNode_CompletesTheWholeWorkflow()
    {
        var (h, result) = await RunAsync(
            """
            { "id": "N", "type": "Elsa.FlowNode", "body": { "id": "Inner", "type": "Elsa.Flowchart",
                "activities": [ { "id": "C", "type": "Elsa.Complete", "outcomes": "Approved" } ], "connections": [] } },
            { "id": "After", "type": "Elsa.WriteLine", "text": "must not run" },
            { "id": "E", "type": "Elsa.Event", "eventName": "pending" }
            """,
            string.Join(",", Connect("Start1", "E"), Connect("Start1", "N"), Connect("N", "After")));
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Empty(await h.LinesAsync(result.InstanceId));
        Assert.Empty(await h.BookmarksAsync(result.InstanceId));
    }

    [Fact]
    public async Task FlowFork_BranchesThenWaitAllJoin_RunsJoinOnceAfterBothBranches()
    {
        var (h, result) = await RunAsync(
            """
            { "id": "Fork", "type": "Elsa.FlowFork", "branches": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"A\",\"B\"]" } } },
            { "id": "WA", "type": "Elsa.WriteLine", "text": "a" },
            { "id": "DB", "type": "Elsa.Delay", "timeSpan": "00:01:00" },
            { "id": "J", "type": "Elsa.FlowJoin", "mode": "WaitAll" },
            { "id": "WJ", "type": "Elsa.WriteLine", "text": "joined" }
            """,
            string.Join(",", Connect("Start1", "Fork"), Connect("Fork", "WA", "A"), Connect("Fork", "DB", "B"), Connect("WA", "J"), Connect("DB", "J"), Connect("J", "WJ")));
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Suspended, result.SubStatus);
        Assert.Equal(["a"], await h.LinesAsync(result.InstanceId));
        var instance = await h.RunDueTimersAsync(result.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
        Assert.Equal(["a", "joined"], await h.LinesAsync(result.InstanceId));
    }

    [Fact]
    public void FlowFork_DynamicPorts_AreTheBranches()
    {
        var node = DefinitionJsonReader.Parse(Flow("p",
            """{ "id": "Fork", "type": "Elsa.FlowFork", "branches": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"Left\",\"Right\"]" } } }""",
            "")).Graph.Root.Activities.Single();

        Assert.Equal(["Left", "Right"], Exit.Workflows.BuiltIns.FlowFork.Descriptor.PortsFor(node));
    }

    [Theory]
    [InlineData("MatchFirst", new[] { "big" })]
    [InlineData("MatchAny", new[] { "big", "even" })]
    public async Task FlowSwitch_ModeDecidesHowManyCasesRun(string mode, string[] expected)
    {
        var (h, result) = await RunAsync(
            $$"""
            { "id": "Sw", "type": "Elsa.FlowSwitch", "mode": "{{mode}}", "cases": [
                { "label": "Small", "condition": { "type": "JavaScript", "value": "getInput('n') < 10" } },
                { "label": "Big", "condition": { "type": "JavaScript", "value": "return getInput('n') >= 10;" } },
                { "label": "Even", "condition": { "type": "JavaScript", "value": "getInput('n') % 2 == 0" } } ] },
            { "id": "WS", "type": "Elsa.WriteLine", "text": "small" },
            { "id": "WB", "type": "Elsa.WriteLine", "text": "big" },
            { "id": "WE", "type": "Elsa.WriteLine", "text": "even" },
            { "id": "WD", "type": "Elsa.WriteLine", "text": "default" }
            """,
            string.Join(",", Connect("Start1", "Sw"), Connect("Sw", "WS", "Small"), Connect("Sw", "WB", "Big"), Connect("Sw", "WE", "Even"), Connect("Sw", "WD", "Default")),
            input: new JsonObject { ["n"] = 12 });
        await using var _ = h;

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(expected, await h.LinesAsync(result.InstanceId));
    }

    [Fact]
    public async Task FlowSwitch_NoCaseMatches_TakesDefault()
    {
        var (h, result) = await RunAsync(
            """
            { "id": "Sw", "type": "Elsa.FlowSwitch", "cases": [ { "label": "Never", "condition": { "type": "JavaScript", "value": "false" } } ] },
            { "id": "WD", "type": "Elsa.WriteLine", "text": "default" }
            """,
            Connect("Start1", "Sw") + "," + Connect("Sw", "WD", "Default"));
        await using var _ = h;

        Assert.Equal(["default"], await h.LinesAsync(result.InstanceId));
        var node = (await h.Definitions.FindAsync("wf", Exit.Workflows.Persistence.VersionOptions.Published, CancellationToken.None))!.Graph.Root.Activities.Single(a => a.Id == "Sw");
        Assert.Equal(["Never", "Default"], Exit.Workflows.BuiltIns.FlowSwitch.Descriptor.PortsFor(node));
    }

    [Fact]
    public async Task ContinueWithIncidents_WorkflowOption_KeepsRunningOtherBranchesAndEndsSuspended()
    {
        var (h, result) = await RunAsync(
            """
            { "id": "S1", "type": "Elsa.WriteLine", "text": "Step 1a" },
            { "id": "Ev", "type": "Elsa.Event", "eventName": "Event 1" },
            { "id": "S1b", "type": "Elsa.WriteLine", "text": "Step 1b" },
            { "id": "S2", "type": "Elsa.WriteLine", "text": "Step 2a" },
            { "id": "F", "type": "Elsa.Fault", "message": "Whoops!" }
            """,
            string.Join(",", Connect("Start1", "S1"), Connect("S1", "Ev"), Connect("Ev", "S1b"), Connect("Start1", "S2"), Connect("S2", "F")),
            """, "options": { "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" }""");
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Suspended, result.SubStatus);
        Assert.Single(result.Incidents);
        var instance = await h.RunToEndAsync(result.InstanceId);
        Assert.Equal(["Step 1a", "Step 2a", "Step 1b"], await h.LinesAsync(result.InstanceId));
        Assert.Equal(WorkflowSubStatus.Suspended, instance.SubStatus); // the faulted child keeps the flowchart open
    }

    [Fact]
    public async Task FaultStrategy_DoesNotResumeAfterTheFault()
    {
        var (h, result) = await RunAsync(
            """
            { "id": "Ev", "type": "Elsa.Event", "eventName": "Event 1" },
            { "id": "S1b", "type": "Elsa.WriteLine", "text": "Step 1b" },
            { "id": "F", "type": "Elsa.Fault", "message": "Whoops!" }
            """,
            string.Join(",", Connect("Start1", "Ev"), Connect("Ev", "S1b"), Connect("Start1", "F")));
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        var published = await h.Runtime.PublishEventAsync("Event 1", null, null, CancellationToken.None);
        Assert.Equal(WorkflowSubStatus.Faulted, Assert.Single(published).SubStatus);
        Assert.Empty(await h.LinesAsync(result.InstanceId));
    }

    [Fact]
    public async Task JavaScriptError_FaultsTheActivity()
    {
        var (h, result) = await RunAsync(
            """{ "id": "W", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getMissing()" } } }""",
            Connect("Start1", "W"));
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Equal("W", Assert.Single(result.Incidents).ActivityId);
    }

    [Fact]
    public async Task SetVariable_UnknownVariableId_Faults()
    {
        var (h, result) = await RunAsync(
            """{ "id": "SV", "type": "Elsa.SetVariable", "variable": { "id": "nope" }, "value": "1" }""",
            Connect("Start1", "SV"));
        await using var _ = h;

        Assert.Contains("Variable 'nope' not found", Assert.Single(result.Incidents).Message);
    }

    [Fact]
    public async Task Start_WithInputAndCorrelation_ScriptsSeeThem()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow("in",
            """{ "id": "W", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('who') + '/' + getCorrelationId()" } } }""",
            ""));

        var result = await h.StartAsync("in", "case-7", new JsonObject { ["who"] = "Ada" });

        Assert.Equal(["Ada/case-7"], await h.LinesAsync(result.InstanceId));
    }
}
