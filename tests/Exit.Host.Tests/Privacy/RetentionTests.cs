using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Exit.Host.Tests.Privacy;

/// <summary>
/// The daily retention job in the real Host's Quartz scheduler, on the manual clock: with closed courses kept 30 days,
/// the course closed 31 days before the job's run is deleted with everything about it (citizen, tasks and answers,
/// workflow instance and journal), the one closed 29 days before is not; and the deletion is audited.
/// </summary>
public sealed class RetentionTests
{
    private const int Days = 30;

    [Fact]
    public async Task DailyJob_DeletesTheCourseClosedNPlusOneDaysAgo_AndKeepsTheOneClosedNMinusOneDaysAgo()
    {
        // The job runs at 03:00 Copenhagen time every day: 02:00 UTC in winter, 01:00 UTC from 29 March (summer time).
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        using var host = new ExitHostFactory(clock, configure: b => b
            .UseSetting("Exit:Retention:ClosedCoursesDays", Days.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Exit:Retention:FinishedCourseInstancesDays", "0"));
        var client = host.CreateClient();

        var oldCitizen = await CitizenScenario.CreateCitizenAsync(client, "Gammel");
        var (oldCourse, oldInstance) = await CitizenScenario.StartCourseAsync(client, oldCitizen);
        await CitizenScenario.AnswerFirstTaskAsync(client, oldCourse, "første møde");
        await CitizenScenario.CloseCourseAsync(client, oldCourse); // closed 2 March, 01:00 UTC

        clock.Advance(TimeSpan.FromDays(2));
        var newCitizen = await CitizenScenario.CreateCitizenAsync(client, "Nyere");
        var (newCourse, newInstance) = await CitizenScenario.StartCourseAsync(client, newCitizen);
        await CitizenScenario.CloseCourseAsync(client, newCourse); // closed 4 March, 01:00 UTC

        // 2 April, 01:01 UTC: the run of 03:00 Copenhagen time that day (missed while the clock jumped, so Quartz runs it
        // once now). The old course was closed N + 1 = 31 days before it, the new one N − 1 = 29 days before.
        clock.Advance(TimeSpan.FromDays(29) + TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCourses WHERE Id = '{oldCourse}'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention job did not delete the old course within 60 s");
            await Task.Delay(200);
        }

        Assert.Equal(0, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCitizens WHERE Id = '{oldCitizen}'"));
        Assert.Equal(0, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM HumanTasks WHERE InstanceId = '{oldInstance}' OR CorrelationId = '{oldCourse}'"));
        Assert.Equal(0, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM wf_instances WHERE id = '{oldInstance}'"));
        Assert.Equal(0, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM wf_journal WHERE instance_id = '{oldInstance}'"));

        Assert.Equal(1, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCourses WHERE Id = '{newCourse}'"));
        Assert.Equal(1, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCitizens WHERE Id = '{newCitizen}'"));
        Assert.Equal(1, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM wf_instances WHERE id = '{newInstance}'"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/courses/{newCourse}/timeline")).StatusCode);

        var audit = await host.CreateClientAs(ExitRoles.Admin).GetFromJsonAsync<JsonObject>($"/api/audit?citizenId={oldCitizen}&action=Delete");
        var entry = Assert.Single(audit!["items"]!.AsArray());
        Assert.Equal(oldCourse, (string?)entry!["resourceId"]);
        Assert.Null((string?)entry["userId"]);
        Assert.Contains("retention", (string?)entry["purpose"], StringComparison.Ordinal);
    }
}
