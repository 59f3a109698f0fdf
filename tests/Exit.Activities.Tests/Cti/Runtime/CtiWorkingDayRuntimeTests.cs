using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>Danish working days on the real runtime and stores (SQLite and PostgreSQL), with the injected clock.</summary>
public sealed class CtiWorkingDayRuntimeTests
{
    [Fact]
    public Task APlannedContactDueOnMaundyThursday2027_LandsOnTuesday30March() => MaundyThursdayAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task APlannedContactDueOnMaundyThursday2027_OnPostgres() => MaundyThursdayAsync(postgres: true);

    /// <summary>
    /// A phone call on Thursday 18 March 2027 10:00, weekly rhythm: the next contact would be due Maundy Thursday
    /// 25 March; Good Friday 26, the weekend with Easter Sunday 28 and Easter Monday 29 follow, so it is due Tuesday
    /// 30 March 10:00 (summer time since the 28th), and its title says so.
    /// </summary>
    private static async Task MaundyThursdayAsync(bool postgres)
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(2027, 3, 1), postgres: postgres);
        var citizen = await host.Cti(s => s.CreateCitizenAsync("Ea", null, CancellationToken.None));
        var started = await host.Cti(s => s.StartCourseAsync(citizen, Worker, CourseGoal.Exit, null, 1m, CancellationToken.None));
        await host.RunUntilAsync(Local(2027, 3, 18, 10));
        await host.Cti(s => s.LogContactAsync(started.CourseId, new ContactInput("Phone", Local(2027, 3, 18, 10), 20, "Other", null, null, null, null),
            Worker, CancellationToken.None));

        var next = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact);
        Assert.Equal(new DateTimeOffset(2027, 3, 30, 10, 0, 0, TimeSpan.FromHours(2)), next.DueAt);
        Assert.Equal("Næste kontakt senest 30. marts 2027", next.Title);
        Assert.Equal(HumanTaskStatus.Open, next.Status);
    }
}
