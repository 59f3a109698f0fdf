using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// <c>Exit.HumanTask</c>: creates a task record for a person (or a role) and waits until someone completes it,
/// then continues on the port named by the chosen outcome. Knows nothing about any domain; <c>kind</c> lets a
/// domain layer pick the form to show.
/// </summary>
public sealed class HumanTask(ITaskIdGenerator ids, IDueDateCalculator dueDates) : IResumableActivity
{
    public const string TypeName = "Exit.HumanTask";
    public const string DefaultOutcome = "Done";
    public const string TaskIdProperty = "TaskId";
    public const string OutcomesProperty = "Outcomes";

    public static class Inputs
    {
        public const string Title = "Title";
        public const string Instructions = "Instructions";
        public const string Assignee = "Assignee";
        public const string Role = "Role";
        public const string DueAt = "DueAt";
        public const string DueIn = "DueIn";
        public const string Outcomes = "Outcomes";
        public const string FormSchema = "FormSchema";
        public const string Kind = "Kind";
    }

    public static class Outputs
    {
        public const string Result = "Result";
        public const string Outcome = "Outcome";
    }

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Version = 1,
        Category = "Human tasks",
        DisplayName = "Human task",
        Description = "Creates a task for a person or role and waits until it is completed; continues on the chosen outcome.",
        Kind = ActivityKind.Task,
        Inputs =
        [
            new() { Name = Inputs.Title, ClrType = typeof(string), TypeName = "String", IsRequired = true, Order = 0,
                Description = "Short title shown in task lists." },
            new() { Name = Inputs.Instructions, ClrType = typeof(string), TypeName = "String", UiHint = "multiline", Order = 1,
                Description = "What the person should do." },
            new() { Name = Inputs.Assignee, ClrType = typeof(string), TypeName = "String", Order = 2,
                Description = "User the task is assigned to." },
            new() { Name = Inputs.Role, ClrType = typeof(string), TypeName = "String", Order = 3,
                Description = "Role whose members may take the task." },
            new() { Name = Inputs.DueAt, ClrType = typeof(DateTimeOffset), TypeName = "DateTimeOffset", UiHint = "datetime-picker",
                Semantics = InputSemantics.DateTime, Order = 4, Category = "Due",
                Description = "Absolute due date. Wins over Due in." },
            new() { Name = Inputs.DueIn, ClrType = typeof(string), TypeName = "String", Semantics = InputSemantics.Duration,
                Order = 5, Category = "Due",
                Description = "Due relative to creation: d.hh:mm:ss or ISO 8601 (P14D, P1M); calendar units follow the configured time zone." },
            new() { Name = Inputs.Outcomes, ClrType = typeof(string[]), TypeName = "String[]", UiHint = "dynamic-outcomes",
                DefaultValue = new[] { DefaultOutcome }, DefaultSyntax = "Object", Order = 6,
                Description = "Outcomes the person can choose; each is an outbound port." },
            new() { Name = Inputs.FormSchema, ClrType = typeof(object), TypeName = "Object", UiHint = "json-editor", Order = 7,
                Category = "Form", Description = "Optional JSON schema of the data to submit." },
            new() { Name = Inputs.Kind, ClrType = typeof(string), TypeName = "String", Order = 8, Category = "Form",
                Description = "Free tag telling a domain UI which form to show, e.g. meeting-note." },
        ],
        Outputs =
        [
            new(Outputs.Result, "Object", "Result", "The data submitted with the completion."),
            new(Outputs.Outcome, "String", "Outcome", "The chosen outcome."),
        ],
        DynamicPorts = PortsOf,
    };

    /// <summary>The descriptor with the role input as a choice among the application's <paramref name="roles"/> (or none).</summary>
    public static ActivityDescriptor WithRoles(IReadOnlyList<string> roles) => Descriptor with
    {
        Inputs = Descriptor.Inputs
            .Select(i => i.Name == Inputs.Role
                ? i with
                {
                    UiHint = "dropdown",
                    Options = [new SelectOption("(no role)", ""), .. roles.Select(r => new SelectOption(r, r))],
                    Description = "Role whose members may take the task from the team queue; one of the application's roles.",
                }
                : i)
            .ToList(),
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var title = context.GetInput<string>(Inputs.Title);
        if (string.IsNullOrWhiteSpace(title))
            throw new InvalidOperationException("A human task needs a title.");

        var outcomes = NormaliseOutcomes(context.GetInput<string[]>(Inputs.Outcomes));
        var now = context.Now;
        var taskId = ids.NewId();

        var effect = new TaskCreated(
            TaskId: taskId,
            Title: title.Trim(),
            Instructions: Blank(context.GetInput<string>(Inputs.Instructions)),
            Kind: Blank(context.GetInput<string>(Inputs.Kind)),
            Assignee: Blank(context.GetInput<string>(Inputs.Assignee)),
            Role: Blank(context.GetInput<string>(Inputs.Role)),
            CorrelationId: context.CorrelationId,
            InstanceId: context.WorkflowInstanceId,
            ActivityInstanceId: context.ActivityInstanceId,
            ActivityId: context.Node.Id,
            BookmarkKey: taskId,
            DueAt: DueAt(context, now),
            AllowedOutcomes: outcomes,
            FormSchema: ToJson(context.GetInput<object>(Inputs.FormSchema)),
            CreatedAt: now);

        context.AddEffect(effect);
        context.Properties[TaskIdProperty] = taskId;
        context.Properties[OutcomesProperty] = new JsonArray(outcomes.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());

        return ValueTask.FromResult(ActivityResult.Suspend(
            new BookmarkRequest(Key: taskId, Payload: new JsonObject { ["taskId"] = taskId }, Id: taskId)));
    }

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        var (outcome, data) = ReadCompletion(input.Input);
        var allowed = context.Properties[OutcomesProperty] is JsonArray a
            ? a.Select(n => n?.GetValue<string>()).OfType<string>().ToList()
            : [DefaultOutcome];
        outcome ??= allowed.Count == 1 ? allowed[0] : null;
        if (outcome is null || !allowed.Contains(outcome, StringComparer.Ordinal))
            throw new InvalidOperationException(
                $"Outcome '{outcome}' is not one of the task's outcomes ({string.Join(", ", allowed)}).");

        context.SetOutput(Outputs.Result, data?.DeepClone());
        context.SetOutput(Outputs.Outcome, outcome);
        return ValueTask.FromResult(ActivityResult.Complete(outcome));
    }

    /// <summary>The completion payload the resume carries: <c>{"outcome": "...", "data": {...}}</c>.</summary>
    public static JsonObject CompletionInput(string outcome, JsonNode? data) =>
        new() { ["outcome"] = outcome, ["data"] = data?.DeepClone() };

    private static (string? Outcome, JsonNode? Data) ReadCompletion(JsonNode? input)
    {
        if (input is not JsonObject o) return (null, null);
        var outcome = o.TryGetPropertyValue("outcome", out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        o.TryGetPropertyValue("data", out var data);
        return (outcome, data);
    }

    private DateTimeOffset? DueAt(IActivityExecutionContext context, DateTimeOffset now)
    {
        if (context.HasInput(Inputs.DueAt))
        {
            switch (context.GetInput(Inputs.DueAt, typeof(DateTimeOffset)))
            {
                case DateTimeOffset absolute when absolute != default:
                    return absolute;
                case DateTime local when local != default:
                    return local.Kind == DateTimeKind.Utc ? new DateTimeOffset(local) : new DateTimeOffset(local, context.TimeZone.GetUtcOffset(local));
                case string text when DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed):
                    return parsed;
            }
        }

        var relative = Blank(context.GetInput<string>(Inputs.DueIn));
        return relative is null ? null : dueDates.Add(now, relative, context.TimeZone);
    }

    internal static IReadOnlyList<string> NormaliseOutcomes(IEnumerable<string?>? outcomes)
    {
        var list = (outcomes ?? [])
            .Where(o => !string.IsNullOrWhiteSpace(o))
            .Select(o => o!.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return list.Count == 0 ? [DefaultOutcome] : list;
    }

    /// <summary>The ports of a node, read statically from its <c>outcomes</c> input (Literal or Object JSON array, or one string).</summary>
    internal static IReadOnlyList<string> PortsOf(ActivityNode node)
    {
        var input = node.Inputs.FirstOrDefault(kv => string.Equals(kv.Key, "outcomes", StringComparison.OrdinalIgnoreCase)).Value;
        if (input is null || input.ExpressionType is not (InputValue.Literal or InputValue.Object))
            return [DefaultOutcome];

        IEnumerable<string?>? values = input.Value switch
        {
            JsonArray array => array.Select(StringOf),
            _ when input.Text is { } text && text.TrimStart().StartsWith('[') => TryParseArray(text),
            _ when input.Text is { } text => [text],
            _ => null,
        };
        return NormaliseOutcomes(values);

        static string? StringOf(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString();
    }

    private static IEnumerable<string?>? TryParseArray(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonArray array
                ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString()).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string s when string.IsNullOrWhiteSpace(s) => null,
        string s => ParseOrString(s),
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static JsonNode? ParseOrString(string s)
    {
        try
        {
            return JsonNode.Parse(s);
        }
        catch (JsonException)
        {
            return JsonValue.Create(s);
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
