using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Execution;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// The coordinator's whole Studio session on the shipped CTI course against the real API: sign in, list, open
/// the designer, drag "Schedule evaluation" from the toolbox, set its due days, connect it after the course start,
/// publish; then a course started through the CTI API raises the new step's evaluation task, and the instance
/// viewer draws the course. Own host (demo mode), so edits do not leak into other classes.
/// </summary>
public sealed class StudioDesignerBrowserTests(StudioDesignerBrowserTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<StudioDesignerBrowserTests.Fixture>
{
    public sealed class Fixture : BrowserHostFixture;

    private const string DefinitionId = "cti-course";
    private const string DefinitionName = "CTI course";
    private const int DueInDays = 3;

    private static readonly string[] ShippedNodes =
    [
        "start1", "course1", "contact1", "phase1", "baseline1", "phase2", "review2", "phase3", "review3",
        "handover1", "final1", "courseEnd1", "end1",
    ];

    private const int ShippedConnections = 16; // 12 and the four Ended ports (a course can end in any period); supervision is a series per team, not a step of the course

    /// <summary>One shipped node of each CTI activity type.</summary>
    private static readonly (string Id, ActivityDescriptor Descriptor)[] CtiNodes =
    [
        ("course1", StartCtiCourse.Descriptor), ("contact1", CtiPhase.Descriptor),
        ("baseline1", ScheduleEvaluation.Descriptor), ("handover1", Handover.Descriptor), ("courseEnd1", EndCtiCourse.Descriptor),
    ];

    [BrowserFact]
    public async Task Coordinator_AddsAnEvaluationToTheCtiCourse_NewCoursesRaiseItAndNothingIsLost()
    {
        var page = await fixture.NewPageAsync(output);
        // Wide enough that the whole course fits on the canvas at a zoom where ports can still be hit with the mouse.
        await page.SetViewportSizeAsync(2200, 1200);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Request.Method} {r.Url}"); };
        await fixture.SignInAsync(page, "koordinator@exit.demo", returnUrl: "/studio/");

        var list = page.Locator("elsa-workflow-definition-list");
        await Assertions.Expect(list.GetByText(DefinitionName, new() { Exact = true }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "studio-real-definition-list", output);

        // The designer: every node renders with its descriptor (no "Unknown Activity").
        await list.GetByText(DefinitionName, new() { Exact = true }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(fixture.BaseAddress, $"studio/workflows/definitions/{DefinitionId}/edit").ToString());
        var canvas = page.Locator(".x6-graph").First;
        foreach (var id in ShippedNodes) await Assertions.Expect(Node(page, id)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("g.x6-edge")).ToHaveCountAsync(ShippedConnections);
        await Assertions.Expect(page.GetByText("Unknown Activity", new() { Exact = false })).ToHaveCountAsync(0);
        var before = await NodeIdsAsync(page);

        // Studio centres the graph at full size, wider than the canvas: zoom to fit brings course1 into reach.
        await ZoomToFitAsync(page.Locator("elsa-workflow-definition-editor"));
        await Assertions.Expect(Node(page, "start1")).ToBeInViewportAsync();
        await Assertions.Expect(Node(page, "end1")).ToBeInViewportAsync();

        // Every CTI activity's inputs render in the Input tab; the focus areas as one checkbox per area.
        var inputs = page.GetByRole(AriaRole.Tabpanel, new() { Name = "Input" });
        foreach (var (id, descriptor) in CtiNodes)
        {
            await Node(page, id).Locator(".activity-label").First.ClickAsync(new() { Force = true });
            foreach (var input in descriptor.Inputs.Where(i => i.IsBrowsable))
                await Assertions.Expect(inputs.GetByText(input.DisplayName ?? input.Name, new() { Exact = true }).Filter(new() { Visible = true }).First).ToBeVisibleAsync();
        }
        await Node(page, "contact1").Locator(".activity-label").First.ClickAsync(new() { Force = true });
        await Assertions.Expect(inputs.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(Enum.GetNames<FocusArea>().Length);
        await canvas.ClickAsync(new() { Position = new() { X = 20, Y = 20 } });

        // Drag "Schedule evaluation" from the "CTI" category below the start, where the canvas is empty.
        await page.GetByText("CTI", new() { Exact = true }).ClickAsync();
        var tool = page.Locator("[draggable='true']").Filter(new() { HasText = "Schedule evaluation" }).Last;
        await Assertions.Expect(tool).ToBeVisibleAsync();
        var box = (await canvas.BoundingBoxAsync())!;
        var start = (await Node(page, "start1").BoundingBoxAsync())!;
        // Below the start, where the (retired) supervision step stood: empty canvas.
        await tool.DragToAsync(canvas, new()
        {
            TargetPosition = new() { X = start.X - box.X + start.Width / 2, Y = start.Y - box.Y + start.Height * 3.5f },
        });
        await Assertions.Expect(page.Locator("g.x6-node[data-shape='elsa-activity']")).ToHaveCountAsync(before.Count + 1);
        var added = (await NodeIdsAsync(page)).Except(before).Single();
        output.WriteLine($"dropped node {added}");

        // Set its due days in the Input tab below the canvas (a dropped node is selected; X6's selection box covers it).
        await Node(page, added).Locator(".activity-label").First.ClickAsync(new() { Force = true });
        // MudBlazor's label does not point at its input: find the field by the control that holds the label.
        var dueInDays = inputs.Locator(".mud-input-control").Filter(new() { HasText = "Due (days after this point)" }).Locator("input").First;
        await dueInDays.FillAsync(DueInDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dueInDays.PressAsync("Tab");

        // Connect the course start's "Done" to the new node's "In": the evaluation runs as the course begins. First
        // clear the selection, whose box would swallow the mouse on the new node's "In" port.
        await canvas.ClickAsync(new() { Position = new() { X = 20, Y = 20 } });
        await ConnectAsync(page, "course1", "Done", added, "In");
        await Assertions.Expect(page.Locator("g.x6-edge")).ToHaveCountAsync(ShippedConnections + 1);
        await page.Mouse.MoveAsync(0, 0); // off the port, whose hover highlight would hide the new edge's start
        await fixture.ScreenshotAsync(page, "studio-real-designer", output);

        // Publish: snackbar, and the published version holds the old graph plus the new node and edge.
        await page.Locator("button.mud-icon-button:has(path[d^='M19.35'])").First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "published" }).First).ToBeVisibleAsync();
        var published = await WaitForPublishedAsync(fixture.CreateApiClient(ExitRoles.Coordinator), added);
        var root = published["root"]!;
        var activities = root["activities"]!.AsArray().Select(a => (string)a!["id"]!).ToHashSet();
        Assert.Superset(ShippedNodes.Append(added).ToHashSet(), activities);
        var connections = root["connections"]!.AsArray();
        Assert.Equal(ShippedConnections + 1, connections.Count);
        Assert.Contains(connections, c => (string?)c!["source"]?["activity"] == "course1" && (string?)c["source"]?["port"] == "Done"
            && (string?)c["target"]?["activity"] == added && (string?)c["target"]?["port"] == "In");
        var node = root["activities"]!.AsArray().Single(a => (string?)a!["id"] == added)!;
        Assert.Equal(ScheduleEvaluation.TypeName, (string?)node["type"]);
        Assert.Equal(DueInDays.ToString(System.Globalization.CultureInfo.InvariantCulture), node["dueInDays"]?["expression"]?["value"]?.ToString());

        // Reloading the designer shows the same graph: nothing was lost on the way.
        await page.ReloadAsync();
        foreach (var id in ShippedNodes.Append(added)) await Assertions.Expect(Node(page, id)).ToBeVisibleAsync();

        // A course started by its worker raises the new step's evaluation, due three Copenhagen days after the start;
        // the shipped baseline only comes after the contact period, weeks later.
        var worker = fixture.CreateApiClient(ExitRoles.Worker);
        var citizen = await worker.PostAsJsonAsync("/api/citizens", new { alias = "Studio " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, citizen.StatusCode);
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var started = await worker.PostAsJsonAsync("/api/courses", new { citizenId, worker = TestApiKeys.UserNameFor(ExitRoles.Worker), goal = "Exit" });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var course = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        var (courseId, instanceId) = ((string)course["courseId"]!, (string)course["instanceId"]!);
        var manager = fixture.CreateApiClient(ExitRoles.Manager);
        var timeline = (await manager.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline"))!;
        var courseStart = timeline["start"]!.GetValue<DateTimeOffset>();
        var tasks = (await manager.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}"))!["items"]!.AsArray();
        var evaluation = Assert.Single(tasks, t => (string?)t!["kind"] == CtiTaskKinds.BaselineEvaluation)!;
        Assert.Equal("Baseline evaluation", (string?)evaluation["title"]);
        var due = evaluation["dueAt"]!.GetValue<DateTimeOffset>();
        // Three Copenhagen days after the start, moved on to a working day when that falls on a weekend or holiday.
        var expectedDue = Exit.Activities.Cti.Domain.DanishWorkingDays.Default.OnOrAfter(CopenhagenCalendar.AddDays(courseStart, DueInDays));
        Assert.Equal(CopenhagenCalendar.ToLocal(expectedDue).Date, CopenhagenCalendar.ToLocal(due).Date);
        Assert.InRange(due - expectedDue, TimeSpan.FromMinutes(-1), TimeSpan.FromMinutes(1));

        // The instance viewer draws the course, the new step included, inside the visible canvas.
        await page.GotoAsync($"studio/workflows/instances/{instanceId}/view");
        var viewer = page.Locator($"elsa-workflow-instance-viewer[instance-id='{instanceId}']");
        await Assertions.Expect(viewer.Locator("g.x6-node[data-cell-id='course1']")).ToBeVisibleAsync();
        await ZoomToFitAsync(viewer);
        foreach (var id in new[] { "course1", added })
            await Assertions.Expect(viewer.Locator($"g.x6-node[data-cell-id='{id}']")).ToBeInViewportAsync();
        await fixture.ScreenshotAsync(page, "studio-real-instance-viewer", output);

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
    }

    /// <summary>The toolbar's "Zoom to fit" button, known by its icon (Material "FitScreen"); its name is only a tooltip.</summary>
    private static async Task ZoomToFitAsync(ILocator designer)
    {
        await designer.Locator("button.mud-icon-button:has(path[d^='M6,16h12V8H6V16z'])").ClickAsync();
        await designer.Page.Mouse.MoveAsync(0, 0); // the tooltip would cover the graph in screenshots
    }

    private static ILocator Node(IPage page, string id) => page.Locator($"g.x6-node[data-cell-id='{id}']");

    private static async Task<List<string>> NodeIdsAsync(IPage page) =>
        [.. await page.Locator("g.x6-node[data-shape='elsa-activity']").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-cell-id'))")];

    /// <summary>X6 edges are drawn with the mouse: press on the source port, move, release on the target port.</summary>
    private static async Task ConnectAsync(IPage page, string fromNode, string fromPort, string toNode, string toPort)
    {
        var from = (await Node(page, fromNode).Locator($"[port='{fromPort}'] circle").First.BoundingBoxAsync())!;
        var to = (await Node(page, toNode).Locator($"[port='{toPort}'] circle").First.BoundingBoxAsync())!;
        // Press on the port's lower left: its centre is covered by the start of an edge already leaving it.
        await page.Mouse.MoveAsync(from.X + from.Width * 0.2f, from.Y + from.Height * 0.8f);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((from.X + to.X) / 2, (from.Y + to.Y) / 2, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 10 });
        await page.Mouse.UpAsync();
    }

    private static async Task<JsonObject> WaitForPublishedAsync(HttpClient api, string addedNodeId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var definition = await api.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions/by-definition-id/{DefinitionId}?versionOptions=Published");
            if (definition!["root"]!["activities"]!.AsArray().Any(a => (string?)a!["id"] == addedNodeId)) return definition;
            Assert.True(DateTime.UtcNow < deadline, "the published version never contained the new node");
            await Task.Delay(250);
        }
    }
}
