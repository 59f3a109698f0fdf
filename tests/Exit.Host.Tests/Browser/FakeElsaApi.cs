using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// TEST SCAFFOLDING — replace with the real <c>/elsa/api</c> once it exists (and delete this file).
/// A hand-written stand-in answering only the calls the Studio definition list makes when it loads
/// (shared/elsa-studio/CONTRACT.md §3.3 and the static descriptor lists of §3.1 / §5.4), plus one empty definition
/// "wf1" for the editor, its "Run" (instance <see cref="RunInstanceId"/>) and an empty instance list, so the browser tests of the Studio host page do not depend on
/// the API work. Installed as a startup filter, so it runs ahead of the app's
/// own pipeline and shadows whatever the app maps at <c>/elsa/api</c>. Unknown calls get 404 and are recorded.
/// </summary>
public sealed class FakeElsaApi : IStartupFilter
{
    public const string DefinitionName = "Nightly report";

    /// <summary>The instance id "Run" of wf1 reports (header <c>x-elsa-workflow-instance-id</c>).</summary>
    public const string RunInstanceId = "inst1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every request seen: method, path + query, Authorization header.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, string? Authorization, bool Answered)> Requests { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/elsa/api", api => api.Run(HandleAsync));
        next(app);
    };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = Answer(request.Method, request.Path.Value ?? "/");
        Requests.Enqueue((request.Method, request.Path + request.QueryString, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body is not null));
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (request.Method == "POST" && request.Path == "/workflow-definitions/wf1/execute")
        {
            context.Response.Headers["x-elsa-workflow-instance-id"] = RunInstanceId; // Studio reads the id from here
        }

        await context.Response.WriteAsJsonAsync(body, Json);
    }

    private static object? Answer(string method, string path) => (method, path) switch
    {
        ("GET", "/workflow-definitions") => new
        {
            items = new[] { Summary },
            totalCount = 1,
            links = new[] { Link("/workflow-definitions/publish", "bulk-publish", "POST"), Link("/workflow-definitions", "create", "POST") },
        },
        ("GET", "/workflow-definitions/validation/is-name-unique") => new { isUnique = true },
        ("GET", "/workflow-definitions/by-definition-id/wf1") => Definition,
        ("POST", "/workflow-definitions/wf1/execute") => new { },
        ("POST", "/workflow-instances") => new { items = Array.Empty<object>(), totalCount = 0 },
        ("GET", "/descriptors/activities") => List(FlowchartDescriptor),
        // Studio's ExpressionEditor drops Literal/Object/Variable/Input and then calls First(): without another
        // type (JavaScript here) the editor page logs "InvalidOperationException: NoElements".
        ("GET", "/descriptors/expression-descriptors") => List(
            new { type = "Literal", displayName = "Literal", isSerializable = true, isBrowsable = true, properties = new Dictionary<string, string>() },
            new
            {
                type = "JavaScript", displayName = "JavaScript", isSerializable = true, isBrowsable = true,
                properties = new Dictionary<string, string> { ["MonacoLanguage"] = "javascript" },
            }),
        ("GET", "/descriptors/workflow-activation-strategies") => List(new
        {
            typeName = "Elsa.Workflows.ActivationStrategies.AllowAlwaysStrategy",
            displayName = "Always",
            description = "Always allow the creation of a new workflow instance.",
        }),
        ("GET", "/descriptors/log-persistence-strategies") => List(),
        ("GET", "/descriptors/incident-strategies") => List(),
        ("GET", "/descriptors/commit-strategies/workflows") => List(),
        ("GET", "/descriptors/commit-strategies/activities") => List(),
        ("GET", "/descriptors/variables") => List(),
        ("GET", "/descriptors/storage-drivers") => List(),
        ("GET", "/features/installed") => List(),
        _ => null,
    };

    private static object List(params object[] items) => new { items, count = items.Length };

    private static object Link(string href, string rel, string method) => new { href, rel, method };

    private static readonly object Summary = new
    {
        id = "wf1-v1",
        definitionId = "wf1",
        name = DefinitionName,
        description = "Fake definition served by the test scaffolding",
        version = 1,
        isLatest = true,
        isPublished = false,
        createdAt = "2026-11-22T08:00:00+00:00",
        materializerName = "Json",
        isMaterializerAvailable = true,
        links = new[]
        {
            Link("/workflow-definitions/wf1", "self", "GET"),
            Link("/workflow-definitions/wf1/publish", "publish", "POST"),
            Link("/workflow-definitions/wf1/retract", "retract", "POST"),
            Link("/workflow-definitions/wf1", "delete", "DELETE"),
        },
    };

    // CONTRACT.md §5.1 / §7: non-null collections, root nodeId, isLatest + publish link (else read-only).
    private static readonly object Definition = new
    {
        id = "wf1-v1",
        definitionId = "wf1",
        name = DefinitionName,
        description = "Fake definition served by the test scaffolding",
        createdAt = "2026-11-22T08:00:00+00:00",
        version = 1,
        toolVersion = "3.8.2.0",
        isLatest = true,
        isPublished = false,
        isReadonly = false,
        isSystem = false,
        variables = Array.Empty<object>(),
        inputs = Array.Empty<object>(),
        outputs = Array.Empty<object>(),
        outcomes = Array.Empty<string>(),
        customProperties = new Dictionary<string, object>(),
        options = new { autoUpdateConsumingWorkflows = false },
        links = new[]
        {
            Link("/workflow-definitions/wf1", "self", "GET"),
            Link("/workflow-definitions/wf1/publish", "publish", "POST"),
            Link("/workflow-definitions/wf1/retract", "retract", "POST"),
            Link("/workflow-definitions/wf1", "delete", "DELETE"),
        },
        root = new
        {
            id = "flowchart1",
            nodeId = "Workflow1:flowchart1",
            name = "Flowchart1",
            type = "Elsa.Flowchart",
            version = 1,
            customProperties = new Dictionary<string, object>(),
            metadata = new Dictionary<string, object>(),
            variables = Array.Empty<object>(),
            activities = Array.Empty<object>(),
            connections = Array.Empty<object>(),
        },
    };

    private static readonly object FlowchartDescriptor = new
    {
        typeName = "Elsa.Flowchart",
        @namespace = "Elsa",
        name = "Flowchart",
        version = 1,
        category = "Flow",
        displayName = "Flowchart",
        description = "A flowchart (the root of every workflow).",
        kind = "Action",
        inputs = Array.Empty<object>(),
        outputs = Array.Empty<object>(),
        ports = new[] { new { name = "Start", displayName = "Start", type = "Embedded", isBrowsable = false } },
        customProperties = new Dictionary<string, object>(),
        constructionProperties = new Dictionary<string, object>(),
        isContainer = true,
        isBrowsable = false,
        isStart = false,
        isTerminal = false,
    };
}
