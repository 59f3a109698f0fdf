using System.Text.RegularExpressions;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Host.Tests.Browser;
using Exit.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class CaseworkBrowserFixture : UiBrowserFixture;

/// <summary>
/// Issue 8 in a real browser: a worker claims a team task and a second worker's claim (from a page loaded before) is
/// refused; a worker edits the network from the course page.
/// </summary>
public sealed class CaseworkBrowserTests(CaseworkBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<CaseworkBrowserFixture>
{
    [BrowserFact]
    public async Task TeamQueue_FirstWorkerClaims_SecondWorkersClaimIsRefused()
    {
        var taskId = await StartQueueTaskAsync();
        var first = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        var second = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerB, output);

        foreach (var page in new[] { first, second })
        {
            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Fælles opgaver" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Fælles opgaver", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(Row(page, taskId)).ToContainTextAsync("Gennemgå sagen");
            await Assertions.Expect(Row(page, taskId)).ToContainTextAsync("CTI-medarbejder");
        }

        await fixture.ScreenshotAsync(first, "ui-worker-team-queue", output);
        await Row(first, taskId).GetByRole(AriaRole.Button, new() { Name = "Tag opgaven" }).ClickAsync();
        await Assertions.Expect(first).ToHaveURLAsync(new Regex("/worker/tasks/" + Regex.Escape(taskId)));
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Gennemgå sagen" })).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Button, new() { Name = "Godkendt" })).ToBeVisibleAsync();

        // The second worker's page still offers the task; the claim is refused and nothing changes hands.
        await Row(second, taskId).GetByRole(AriaRole.Button, new() { Name = "Tag opgaven" }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("Opgaven er allerede taget af en anden.");
        await Assertions.Expect(Row(second, taskId)).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(second, "ui-worker-team-queue-claim-refused", output);
        Assert.Equal(UiBrowserFixture.WorkerA, await AssigneeAsync(taskId));

        // The claimant can put it back; then it is in the team tasks again.
        await first.GotoAsync("/worker/queue");
        await first.Locator($"#claimed li[data-task-id='{taskId}']").GetByRole(AriaRole.Button, new() { Name = "Læg tilbage" }).ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Status)).ToHaveTextAsync("Opgaven er lagt tilbage i fælles opgaver.");
        await Assertions.Expect(Row(first, taskId)).ToBeVisibleAsync();
        Assert.Null(await AssigneeAsync(taskId));
    }

    [BrowserFact]
    public async Task Worker_EditsTheNetworkFromTheCoursePage()
    {
        var courseId = await fixture.StartCourseAsync("Vera", UiBrowserFixture.WorkerA);
        var page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await page.GotoAsync($"/worker/courses/{courseId}");
        await Assertions.Expect(page.Locator("#network-empty")).ToBeVisibleAsync();

        await page.GetByText("Redigér netværket").ClickAsync();
        var row = page.Locator("#m0");
        await row.GetByLabel("Aktør (organisation eller rolle)").FillAsync("Psykiatrisk ambulatorium");
        await row.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "læge/psykiatri" });
        await row.GetByLabel("Kontaktperson").FillAsync("Overlæge B");
        await row.GetByLabel("Sådan kontaktes de").FillAsync("tlf. 7070 1010");
        await row.GetByLabel("Rolle i planen").FillAsync("Udredning og medicin");
        await row.GetByLabel("Psykisk helbred").CheckAsync();
        await row.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "planlagt" });
        await fixture.ScreenshotAsync(page, "ui-worker-network-form", output);
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem netværket" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Forløbet er opdateret.");
        var table = page.Locator("#network");
        await Assertions.Expect(table).ToContainTextAsync("Psykiatrisk ambulatorium");
        await Assertions.Expect(table).ToContainTextAsync("læge/psykiatri");
        await Assertions.Expect(table).ToContainTextAsync("Overlæge B");
        await Assertions.Expect(table).ToContainTextAsync("Udredning og medicin");
        await Assertions.Expect(table).ToContainTextAsync("Psykisk helbred");
        await Assertions.Expect(table).ToContainTextAsync("planlagt");

        // Edit again: the member is now actor 1, and a second (new) one is added in the blank row; then the first is removed.
        await page.GetByText("Redigér netværket").ClickAsync();
        await page.Locator("#m1").GetByLabel("Aktør (organisation eller rolle)").FillAsync("Reden");
        await page.Locator("#m1").GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "NGO" });
        await page.Locator("#m0").GetByLabel("Fjern fra netværket").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem netværket" }).ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync("Reden");
        await Assertions.Expect(table).Not.ToContainTextAsync("Psykiatrisk ambulatorium");
        await fixture.ScreenshotAsync(page, "ui-worker-course-network", output);

        using var scope = fixture.Services.CreateScope();
        var course = await scope.ServiceProvider.GetRequiredService<CtiCourseService>().GetCourseAsync(courseId, CancellationToken.None);
        var member = Assert.Single(course.Network);
        Assert.Equal((NetworkRole.NgoWorker, "Reden", NetworkMemberStatus.Active), (member.Role, member.Organisation, member.Status));
    }

    /// <summary>
    /// Code names and English sentences the domain stores (task titles, instructions, enum names) that must never reach a
    /// Danish page: the pages translate them. Scanned in the visible text of every page each role reaches.
    /// </summary>
    private static readonly string[] NotOnDanishPages =
    [
        "ContactPeriod", "Phase1", "Phase2", "Phase3", "cti.", "cti-worker", "cti-supervisor",
        "First meeting with the citizen", "Contact meeting", "Draft the activity plan", "Phase review", "Follow up a missed meeting",
        "Baseline evaluation", "Phase-change evaluation", "Final evaluation", "Network meeting", "Long-term plan", "Handover agreement",
        "Closing meeting", "the citizen", "Supervision for", "Review the case", "Approved", "Rejected",
        "HousingSupport", "NgoWorker", "SupportContactPerson", "DoctorOrPsychiatry", "CourseOffered", "ReferredElsewhere", "Outreach",
        "Pending", "EscortOrOnline", "From25To34", "Economy", "EducationAndEmployment", "Planned", "InProgress",
    ];

    [BrowserFact]
    public async Task EveryPage_AsEachRole_ShowsNoEnglishSentencesOrCodeNames()
    {
        var courseId = await fixture.StartCourseAsync("Ida", UiBrowserFixture.WorkerA);
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.ContactPeriod); // phase 1: plan, evaluation and meeting tasks
        await StartQueueTaskAsync();
        using (var scope = fixture.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<CtiCourseService>().ReplaceNetworkAsync(courseId,
                [new SupportNetworkMember(Guid.NewGuid(), NetworkRole.HousingSupport, "Kontakt C", "Boligsocialt team", "mail", "Bolig", [FocusArea.Housing], NetworkMemberStatus.Planned)],
                CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IntakeRegister>().RegisterAsync(
                DateOnly.FromDateTime(UiBrowserFixture.Start.UtcDateTime), EnquiryChannel.Outreach, anonymous: true, alias: null, "test", CancellationToken.None);
        }

        var worker = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        var pages = new List<string> { "/worker/tasks", "/worker/citizens", $"/worker/courses/{courseId}", "/worker/queue", "/intake", "/worker/courses/new" };
        await worker.GotoAsync("/worker/tasks");
        pages.AddRange(await worker.Locator("table.tasks a[href^='/worker/tasks/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"));
        Assert.True(pages.Count > 8, "the worker has task pages to check");
        await ScanAsync(worker, pages);
        await ScanAsync(await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output),
            ["/manager/overdue", "/manager/caseload", "/manager/report", "/intake", $"/manager/reassign?course={courseId}"]);
        await ScanAsync(await fixture.SignedInPageAsync("supervisor@exit.demo", output), ["/supervisor/sessions", "/worker/queue"]);
    }

    private async Task ScanAsync(IPage page, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
            var text = await page.Locator("body").InnerTextAsync();
            var found = NotOnDanishPages.Where(code => text.Contains(code, StringComparison.Ordinal)).ToList();
            Assert.True(found.Count == 0, $"{path} shows {string.Join(", ", found.Select(f => $"'{f}'"))}:\n{text}");
        }
    }

    private static ILocator Row(IPage page, string taskId) => page.Locator($"#queue tr[data-task-id='{taskId}']");

    private async Task<string> StartQueueTaskAsync()
    {
        using var scope = fixture.Services.CreateScope();
        var correlationId = "queue-" + Guid.NewGuid().ToString("N");
        await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>()
            .StartAsync(new StartWorkflowRequest("task-then-timer", CorrelationId: correlationId), CancellationToken.None);
        var page = await scope.ServiceProvider.GetRequiredService<TaskQueries>().ListAsync(new TaskFilter(CorrelationId: correlationId), CancellationToken.None);
        return Assert.Single(page.Items).Id;
    }

    private async Task<string?> AssigneeAsync(string taskId)
    {
        using var scope = fixture.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<TaskQueries>().GetAsync(taskId, CancellationToken.None))!.Assignee;
    }
}
