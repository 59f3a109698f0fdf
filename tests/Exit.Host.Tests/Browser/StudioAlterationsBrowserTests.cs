using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// Studio 3.8.2 with the alterations feature listed: a coordinator opens an instance's "Alter" action in the served
/// Studio, which leads to Exit's alterations screen, runs a dry run and then moves the instance to version 2.
/// </summary>
public sealed class StudioAlterationsBrowserTests(BrowserHostFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    [BrowserFact]
    public async Task Studio_AlterInstance_DryRunThenMigrateToVersion2()
    {
        using var api = fixture.CreateApiClient(ExitRoles.Coordinator);
        (await api.PostAsync("/elsa/api/workflow-definitions/task-then-timer/execute",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var exported = JsonNode.Parse(await api.GetStringAsync("/elsa/api/workflow-definitions/task-then-timer/export"))!.AsObject();
        exported["description"] = "Rettet udgave";
        var import = await api.PostAsync("/elsa/api/workflow-definitions/import",
            new StringContent(exported.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        import.EnsureSuccessStatusCode();
        var target = (int)(await import.Content.ReadFromJsonAsync<JsonObject>())!["version"]!;

        var page = await fixture.NewPageAsync(output);
        await fixture.SignInAsync(page, "koordinator@exit.demo", returnUrl: "/studio/workflows/instances");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Task then timer" }).First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByText("Alter", new() { Exact = true }).First.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Flyt instans til en anden version" })).ToBeVisibleAsync();
        var instanceId = new Uri(page.Url).AbsolutePath.Split('/').Last();
        await page.Locator("#alter-dry-run").ClickAsync();
        await Assertions.Expect(page.Locator("#alter-result")).ToContainTextAsync($"kan flyttes fra version 1 til version {target}");
        Assert.Equal(1, (int)(await api.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}"))!["version"]!);

        await page.Locator("#alter-migrate").ClickAsync();
        await Assertions.Expect(page.Locator("#alter-result")).ToContainTextAsync($"Flyttet til version {target}");
        await fixture.ScreenshotAsync(page, "studio-alteration-migrated", output);
        Assert.Equal(target, (int)(await api.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}"))!["version"]!);

        // The move is in the audit log once, with the coordinator and both versions (written in the instance's commit).
        using var auditor = fixture.CreateApiClient(ExitRoles.Admin);
        var changes = (await auditor.GetFromJsonAsync<JsonObject>("/api/audit?action=Change&pageSize=200"))!["items"]!.AsArray()
            .Where(e => (string?)e!["resourceId"] == instanceId && ((string?)e["purpose"])!.Contains("alteration", StringComparison.Ordinal)).ToList();
        var moved = Assert.Single(changes);
        Assert.Equal("koordinator@exit.demo", (string?)moved!["userName"]);
        Assert.Contains($"version 1 to {target}", (string?)moved["purpose"]);
    }
}
