using System.Net;
using System.Net.Http.Json;
using Exit.Activities.Privacy;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Privacy;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Privacy;

/// <summary>
/// The retention run goes through the municipalities one by one (<c>aarhus</c> before <c>default</c>): when one of them
/// fails — here the course look-up of aarhus throws, through a decorator this test puts around the real one — the next
/// municipality's expired course is still removed, and the run then reports which municipality failed.
/// </summary>
public sealed class RetentionIsolationTests
{
    private const string Aarhus = TestApiKeys.OtherMunicipality;

    [Fact]
    public async Task AMunicipalityWhoseRunFails_DoesNotStopTheNextMunicipalitysRemoval_AndTheRunReportsIt()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        using var host = new ExitHostFactory(clock, configure: b => b
            .UseSetting("Exit:Retention:ClosedCoursesDays", "30")
            .UseSetting("Exit:Retention:FinishedCourseInstancesDays", "0")
            .UseSetting("Exit:Retention:Schedule", "0 0 3 1 1 ? 2099") // never during the test: the run below is the only one
            .ConfigureTestServices(s =>
            {
                var real = s.Last(d => d.ServiceType == typeof(ICitizenScopeResolver));
                s.Remove(real);
                s.AddSingleton<ICitizenScopeResolver>(p => new FailingIn(Aarhus,
                    (ICitizenScopeResolver)ActivatorUtilities.CreateInstance(p, real.ImplementationType!)));
            }));
        var national = host.CreateClientAs(ExitRoles.National);
        Assert.Equal(HttpStatusCode.Created, (await national.PostAsJsonAsync("/api/municipalities", new { id = Aarhus, name = "Aarhus" })).StatusCode);

        var defaultCourse = await ClosedCourseAsync(host.CreateClient(), worker: null);
        var aarhusCourse = await ClosedCourseAsync(host.CreateClientAs(ExitRoles.Manager, Aarhus), TestApiKeys.UserNameFor(ExitRoles.Worker, Aarhus));
        clock.Advance(TimeSpan.FromDays(31));

        await using var scope = host.Services.CreateAsyncScope();
        var incomplete = await Assert.ThrowsAsync<RetentionIncompleteException>(
            () => scope.ServiceProvider.GetRequiredService<RetentionSweep>().RunEveryMunicipalityAsync(CancellationToken.None));

        Assert.Equal([Aarhus], incomplete.FailedTenants);
        Assert.Equal(1, incomplete.Done.Courses);
        Assert.Equal(0, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCourses WHERE Id = '{defaultCourse}'"));
        Assert.Equal(1, await host.SqliteScalarAsync($"SELECT COUNT(*) FROM CtiCourses WHERE Id = '{aarhusCourse}'"));
    }

    private static async Task<string> ClosedCourseAsync(HttpClient client, string? worker)
    {
        var citizen = await CitizenScenario.CreateCitizenAsync(client, "Gammel");
        var (course, _) = await CitizenScenario.StartCourseAsync(client, citizen, worker);
        await CitizenScenario.CloseCourseAsync(client, course);
        return course;
    }

    /// <summary>The real resolver, except that listing the ended courses of <paramref name="municipality"/> fails.</summary>
    private sealed class FailingIn(string municipality, ICitizenScopeResolver real) : ICitizenScopeResolver
    {
        public Task<CitizenDataScope?> ResolveAsync(string citizenId, CancellationToken ct) => real.ResolveAsync(citizenId, ct);

        public Task<IReadOnlyList<(string CitizenId, Exit.Activities.Privacy.CourseRef Course)>> EndedCoursesAsync(DateTimeOffset endedBefore, CancellationToken ct) =>
            TenantScope.Current == municipality
                ? throw new InvalidOperationException("this municipality's courses cannot be read")
                : real.EndedCoursesAsync(endedBefore, ct);

        public Task<IReadOnlyList<string>> CitizensWithoutCoursesAsync(DateTimeOffset createdBefore, CancellationToken ct) =>
            real.CitizensWithoutCoursesAsync(createdBefore, ct);
    }
}
