using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// The coordinator's whole Studio session against the real API: sign in, list, open the designer, drag an
/// activity from the toolbox, set an input, connect it, publish; then the new step's task appears in the task
/// API for a new instance, and the instance viewer opens. Own host (demo mode), so edits do not leak into
/// other classes.
/// </summary>
public sealed class StudioDesignerBrowserTests(StudioDesignerBrowserTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<StudioDesignerBrowserTests.Fixture>
{
    public sealed class Fixture : BrowserHostFixture;

    private const string DefinitionId = "task-then-timer";
    private const string NewTaskTitle = "Second look by the coordinator";

    [BrowserFact]
    public async Task Coordinator_DragsConnectsAndPublishes_NewStepRunsAndNothingIsLost()
    {
        var page = await fixture.NewPageAsync(output);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await fixture.SignInAsync(page, "koordinator@exit.demo", returnUrl: "/studio/");

        // The list shows the shipped definitions.
        var list = page.Locator("elsa-workflow-definition-list");
        await Assertions.Expect(list.GetByText("Task then timer").First).ToBeVisibleAsync();
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "workflow-definitions", "cti-course.json")))
            await Assertions.Expect(list.GetByText("cti", new() { Exact = false }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "studio-real-definition-list", output);

        // The designer: every node renders with its descriptor (no "Unknown Activity").
        await list.GetByText("Task then timer").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(fixture.BaseAddress, $"studio/workflows/definitions/{DefinitionId}/edit").ToString());
        var canvas = page.Locator(".x6-graph").First;
        foreach (var id in new[] { "start1", "review1", "delay1", "write1", "end1" })
            await Assertions.Expect(Node(page, id)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Unknown Activity", new() { Exact = false })).ToHaveCountAsync(0);
        var before = await NodeIdsAsync(page);

        // Drag "Human task" from the "Human tasks" category onto an empty part of the canvas.
        await page.GetByText("Human tasks", new() { Exact = true }).ClickAsync();
        var tool = page.Locator("[draggable='true']").Filter(new() { HasText = "Human task" }).Last;
        await Assertions.Expect(tool).ToBeVisibleAsync();
        var box = (await canvas.BoundingBoxAsync())!;
        await tool.DragToAsync(canvas, new() { TargetPosition = new() { X = box.Width * 0.45f, Y = box.Height * 0.72f } });
        await Assertions.Expect(page.Locator("g.x6-node[data-shape='elsa-activity']")).ToHaveCountAsync(before.Count + 1);
        var added = (await NodeIdsAsync(page)).Except(before).Single();
        output.WriteLine($"dropped node {added}");

        // Set its title in the Input tab below the canvas (a dropped node is selected; X6's selection box covers it).
        await Node(page, added).Locator(".activity-label").First.ClickAsync(new() { Force = true });
        // Studio labels the input with a sibling group, not the textbox itself: the first textbox of the Input tab is Title.
        var title = page.GetByRole(AriaRole.Tabpanel, new() { Name = "Input" }).GetByRole(AriaRole.Textbox).First;
        await Assertions.Expect(title).ToBeVisibleAsync();
        await title.FillAsync(NewTaskTitle);
        await title.PressAsync("Tab");

        // Connect Start's "Done" to the new node's "In": Start then starts both branches. First clear the selection,
        // whose box would swallow the mouse on the new node's "In" port.
        await canvas.ClickAsync(new() { Position = new() { X = 20, Y = 20 } });
        await ConnectAsync(page, "start1", "Done", added, "In");
        await Assertions.Expect(page.Locator("g.x6-edge")).ToHaveCountAsync(6);
        await fixture.ScreenshotAsync(page, "studio-real-designer", output);

        // Publish: snackbar, and the published version holds the old graph plus the new node and edge.
        await page.Locator("button.mud-icon-button:has(path[d^='M19.35'])").First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "published" }).First).ToBeVisibleAsync();
        var api = fixture.CreateApiClient(ExitRoles.Coordinator);
        var published = await WaitForPublishedAsync(api, added);
        var root = published["root"]!;
        var activities = root["activities"]!.AsArray().Select(a => (string)a!["id"]!).ToList();
        Assert.Superset(new HashSet<string>(before.Append(added)), new HashSet<string>(activities));
        Assert.Equal(6, root["connections"]!.AsArray().Count);
        var node = root["activities"]!.AsArray().Single(a => (string?)a!["id"] == added)!;
        Assert.Equal("Exit.HumanTask", (string?)node["type"]);
        Assert.Equal(NewTaskTitle, (string?)node["title"]?["expression"]?["value"]);

        // Reloading the designer shows the same graph: nothing was lost on the way.
        await page.ReloadAsync();
        foreach (var id in before.Append(added)) await Assertions.Expect(Node(page, id)).ToBeVisibleAsync();

        // A new instance raises the new step's task.
        var correlationId = "browser-" + Guid.NewGuid().ToString("N");
        var run = await api.PostAsJsonAsync($"/elsa/api/workflow-definitions/{DefinitionId}/execute", new { correlationId });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var instanceId = run.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var tasks = await fixture.CreateApiClient(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}");
        Assert.Contains(tasks!["items"]!.AsArray(), t => (string?)t!["title"] == NewTaskTitle);

        // The instance viewer opens for it.
        await page.GotoAsync($"studio/workflows/instances/{instanceId}/view");
        var viewer = page.Locator($"elsa-workflow-instance-viewer[instance-id='{instanceId}']");
        await Assertions.Expect(viewer.Locator("g.x6-node[data-cell-id='review1']")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "studio-real-instance-viewer", output);

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
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
        await page.Mouse.MoveAsync(from.X + from.Width / 2 - 7, from.Y + from.Height / 2 + 7);
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
