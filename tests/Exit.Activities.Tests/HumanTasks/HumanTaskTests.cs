using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Activities.Tests.HumanTasks;

public class HumanTaskTests
{
    private static HumanTask Activity() => new(new SequentialIds(), new DueDateCalculator());

    private static FakeActivityContext Context(params (string Name, object? Value)[] inputs)
    {
        var context = new FakeActivityContext();
        context.InputValues[HumanTask.Inputs.Title] = "Write meeting note";
        foreach (var (name, value) in inputs) context.InputValues[name] = value;
        return context;
    }

    [Fact]
    public async Task ExecuteAsync_WithDueIn_StagesTaskCreatedDueRelativeToNowAndSuspendsOnTaskId()
    {
        var context = Context(
            (HumanTask.Inputs.Assignee, "anna"), (HumanTask.Inputs.Role, "caseworker"), (HumanTask.Inputs.DueIn, "P14D"),
            (HumanTask.Inputs.Outcomes, new[] { "Approve", "Reject" }), (HumanTask.Inputs.Kind, "meeting-note"),
            (HumanTask.Inputs.FormSchema, """{"type":"object"}"""), (HumanTask.Inputs.Instructions, "Use the template"));

        var result = await Activity().ExecuteAsync(context);

        var created = Assert.IsType<TaskCreated>(Assert.Single(context.Effects));
        Assert.Equal("task-1", created.TaskId);
        Assert.Equal(context.Now.AddDays(14), created.DueAt);
        Assert.Equal(["Approve", "Reject"], created.AllowedOutcomes);
        Assert.Equal(("anna", "caseworker", "meeting-note", "Use the template"), (created.Assignee, created.Role, created.Kind, created.Instructions));
        Assert.Equal(("instance-1", "activity-instance-1", "task1", "case-42"), (created.InstanceId, created.ActivityInstanceId, created.ActivityId, created.CorrelationId));
        Assert.Equal("object", created.FormSchema!["type"]!.GetValue<string>());
        Assert.Equal(context.Now, created.CreatedAt);
        Assert.Equal("task-1", created.BookmarkKey);

        var suspended = Assert.IsType<ActivityResult.Suspended>(result);
        var bookmark = Assert.Single(suspended.Bookmarks);
        Assert.Equal("task-1", bookmark.Key);
        Assert.Null(bookmark.DueAt); // the due date is a task property, not a timer
        Assert.Equal("task-1", bookmark.Payload!["taskId"]!.GetValue<string>());
        Assert.Equal("task-1", context.Properties[HumanTask.TaskIdProperty]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_DueAtGiven_WinsOverDueIn()
    {
        var due = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var context = Context((HumanTask.Inputs.DueAt, due), (HumanTask.Inputs.DueIn, "P1D"));

        await Activity().ExecuteAsync(context);

        Assert.Equal(due, Assert.IsType<TaskCreated>(Assert.Single(context.Effects)).DueAt);
    }

    [Fact]
    public async Task ExecuteAsync_NoOutcomesNoDue_DefaultsToDoneAndNoDueDate()
    {
        var context = Context();

        await Activity().ExecuteAsync(context);

        var created = Assert.IsType<TaskCreated>(Assert.Single(context.Effects));
        Assert.Equal(["Done"], created.AllowedOutcomes);
        Assert.Null(created.DueAt);
    }

    [Fact]
    public async Task ExecuteAsync_BlankTitle_Throws()
    {
        var context = Context((HumanTask.Inputs.Title, "  "));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Activity().ExecuteAsync(context).AsTask());
        Assert.Empty(context.Effects);
    }

    [Fact]
    public async Task ResumeAsync_WithAllowedOutcome_SetsOutputsAndCompletesOnThatPort()
    {
        var activity = Activity();
        var context = Context((HumanTask.Inputs.Outcomes, new[] { "Approve", "Reject" }));
        await activity.ExecuteAsync(context);

        var data = JsonNode.Parse("""{"note":"went well"}""");
        var result = await activity.ResumeAsync(context,
            new ResumeInput("bm-1", "task-1", null, HumanTask.CompletionInput("Reject", data)));

        var completed = Assert.IsType<ActivityResult.Completed>(result);
        Assert.Equal(["Reject"], completed.Outcomes);
        Assert.Equal("Reject", context.OutputValues[HumanTask.Outputs.Outcome]);
        Assert.Equal("went well", ((JsonNode)context.OutputValues[HumanTask.Outputs.Result]!)["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResumeAsync_OutcomeNotAllowed_Throws()
    {
        var activity = Activity();
        var context = Context((HumanTask.Inputs.Outcomes, new[] { "Approve" }));
        await activity.ExecuteAsync(context);

        await Assert.ThrowsAsync<InvalidOperationException>(() => activity.ResumeAsync(context,
            new ResumeInput("bm-1", "task-1", null, HumanTask.CompletionInput("Nope", null))).AsTask());
    }

    [Theory]
    [InlineData("""{"typeName":"String[]","expression":{"type":"Object","value":"[\"Approve\",\"Reject\"]"}}""", "Approve,Reject")]
    [InlineData("""{"typeName":"String[]","expression":{"type":"Literal","value":"Yes"}}""", "Yes")]
    [InlineData("""{"typeName":"String[]","expression":{"type":"JavaScript","value":"return ['A'];"}}""", "Done")]
    [InlineData(null, "Done")]
    public void DynamicPorts_FollowOutcomesInput(string? outcomesJson, string expected)
    {
        var inputs = new Dictionary<string, InputValue>();
        if (outcomesJson is not null)
        {
            var o = JsonNode.Parse(outcomesJson)!;
            inputs["outcomes"] = new InputValue(o["expression"]!["type"]!.GetValue<string>(), o["expression"]!["value"]!.DeepClone(), "String[]");
        }

        var node = new ActivityNode { Id = "t", NodeId = "t", Type = HumanTask.TypeName, Inputs = inputs };

        Assert.Equal(expected.Split(','), HumanTask.Descriptor.PortsFor(node));
    }

    [Fact]
    public void Descriptor_DescribesTaskActivity()
    {
        var d = HumanTask.Descriptor;
        Assert.Equal(("Exit.HumanTask", 1, "Human tasks", ActivityKind.Task), (d.TypeName, d.Version, d.Category, d.Kind));
        Assert.True(d.Inputs.Single(i => i.Name == "Title").IsRequired);
        Assert.Equal("dynamic-outcomes", d.Inputs.Single(i => i.Name == "Outcomes").UiHint);
        Assert.Equal(InputSemantics.Duration, d.Inputs.Single(i => i.Name == "DueIn").Semantics);
        Assert.Equal(["Result", "Outcome"], d.Outputs.Select(o => o.Name));
    }
}
