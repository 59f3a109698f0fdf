using Exit.Host.Tests.Browser;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
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
        var courseId = await fixture.StartCourseAsync("Lina", UiBrowserFixture.WorkerA);

        var owner = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await owner.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Forløb for Lina" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(owner, "ui-worker-course-timeline", output);

        var other = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerB, output);
        var response = await other.GotoAsync($"worker/courses/{courseId}");
        Assert.Equal(404, response!.Status); // as the API: nothing about the course leaks
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Ingen adgang" })).ToBeVisibleAsync();
        Assert.DoesNotContain("Lina", await other.ContentAsync());
        await fixture.ScreenshotAsync(other, "ui-worker-b-refused", output);

        // Both look-ups are in the access log (who, what, which citizen, outcome); the refused one as Denied.
        await using (var db = await fixture.Services.GetRequiredService<IDbContextFactory<ExitIdentityDbContext>>().CreateDbContextAsync())
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.ResourceType == "course" && e.ResourceId == courseId.ToString()).ToListAsync();
            var refused = Assert.Single(entries, e => e.UserName == UiBrowserFixture.WorkerB);
            Assert.Equal(AuditOutcome.Denied, refused.Outcome);
            Assert.Equal(AuditAction.Read, refused.Action);
            Assert.NotNull(refused.CitizenId);
            Assert.Contains(entries, e => e.UserName == UiBrowserFixture.WorkerA && e.Outcome == AuditOutcome.Allowed && e.CitizenId == refused.CitizenId);
        }

        // Phone width: the same page, stacked.
        var phone = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output, width: 390, height: 844);
        await phone.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Forløb for Lina" })).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the course page scrolls sideways on a phone");
        await fixture.ScreenshotAsync(phone, "ui-worker-course-phone", output);
    }
}
