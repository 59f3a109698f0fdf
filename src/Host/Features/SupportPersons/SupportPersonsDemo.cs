using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Supervision;

namespace Exit.Host.Features.SupportPersons;

/// <summary>
/// Demo data for the scheme (demo mode only, on an empty database): the SKP team "Netværksgruppen" of two, one of them the
/// demo volunteer <c>frivillig1@exit.demo</c> matched to the first demo course (Demo A), and this month's team session.
/// </summary>
public static class SupportPersonsDemo
{
    public const string Team = "Netværksgruppen";
    public const string VolunteerUser = "frivillig1@exit.demo";

    /// <summary>In the municipality in scope; <paramref name="volunteerUser"/> is its demo volunteer's user name.</summary>
    public static async Task SeedAsync(IServiceProvider services, Guid courseId, string volunteerUser, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var register = services.GetRequiredService<SupportPersonRegister>();
        var today = SupervisionCalendar.Today(clock.GetUtcNow());
        var skp = await register.RegisterAsync(new SupportPersonProfile(
            "Frivillig 1 (demo)", Team, ["dansk", "engelsk"], today.AddMonths(-2), 3, "Telefon hverdage 9-21, sms i weekenden",
            today.AddMonths(-2), SupportPersonStatus.Active, volunteerUser), ct);
        await register.RegisterAsync(new SupportPersonProfile(
            "Støtteperson B (demo)", Team, ["dansk", "thai"], today.AddMonths(-1), 3, "Telefon efter aftale", today.AddMonths(-1),
            SupportPersonStatus.Active, null), ct);
        await services.GetRequiredService<SupportPersonMatching>().MatchAsync(skp.Id, new MatchInput(courseId, SupervisionCalendar.Key(today), 3, null), "demo", ct);
        await services.GetRequiredService<SupervisionSeriesService>().PlanAsync(clock.GetUtcNow(), ct);
    }
}
