using Exit.Host.Tests.Browser;
using Exit.Host.Ui;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class AccessBrowserFixture : UiBrowserFixture;

/// <summary>Acceptance: worker B opening worker A's citizen by URL is refused, and the attempt is in the audit log.</summary>
public sealed class AccessBrowserTests(AccessBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<AccessBrowserFixture>
{
    [BrowserFact]
    public async Task WorkerB_OpeningWorkerAsCourseByUrl_IsRefusedAndAudited()
    {
        var courseId = await fixture.StartCourseAsync("Lina", "worker-anna");

        var owner = await fixture.NewPageAsAsync("worker-anna", "worker", output);
        await owner.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Forløb for Lina" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(owner, "ui-worker-course-timeline", output);

        var other = await fixture.NewPageAsAsync("worker-bo", "worker", output);
        var response = await other.GotoAsync($"worker/courses/{courseId}");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Ingen adgang" })).ToBeVisibleAsync();
        Assert.DoesNotContain("Lina", await other.ContentAsync());
        await fixture.ScreenshotAsync(other, "ui-worker-b-refused", output);

        var audit = fixture.Services.GetRequiredService<IUiAuditTrail>().Recent;
        Assert.Contains(audit, e => e.User == "worker-bo" && !e.Allowed && e.SubjectType == "course" && e.SubjectId == courseId.ToString());
        Assert.Contains(audit, e => e.User == "worker-anna" && e.Allowed && e.SubjectId == courseId.ToString());

        // Phone width: the same page, stacked.
        var phone = await fixture.NewPageAsAsync("worker-anna", "worker", output, width: 390, height: 844);
        await phone.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Forløb for Lina" })).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the course page scrolls sideways on a phone");
        await fixture.ScreenshotAsync(phone, "ui-worker-course-phone", output);
    }
}
