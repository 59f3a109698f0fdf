using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Features.Reports;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Demo;

/// <summary>
/// With the run command's --demo option, an empty database gets a few running instances of the example
/// definition and three CTI courses for anonymous demo citizens (aliases only) on the demo workers' caseloads,
/// so the task lists, pages and Studio's instance views have something to show on first run. The courses show the
/// casework: logged contacts and the one next-contact task from the rhythm; Demo A and Demo C have had their decision
/// (Afklaring) and are in phase 1 (Demo A with a changed rhythm), Demo B is still at its Afklaring.
/// Each demo municipality (<see cref="DemoMunicipalities"/>: København, Aarhus) gets the same, seeded inside its own
/// scope with its own workers (<c>medarbejder1@aarhus.exit.demo</c>…).
/// Never runs unless asked, and never adds to a database that already has instances.
/// </summary>
public sealed partial class DemoDataSeeder(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<DemoDataSeeder> logger) : IHostedService
{
    private static readonly string[] DemoCorrelationIds = ["demo-1", "demo-2", "demo-3"];

    private static readonly (string Alias, string Worker, CourseGoal Goal)[] DemoCourses =
    [
        ("Demo A", "medarbejder1", CourseGoal.Exit),
        ("Demo B", "medarbejder1", CourseGoal.ImproveLifeSituation),
        ("Demo C", "medarbejder2", CourseGoal.Exit),
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After start-up, so migrations and the definitions folder import have run.
        lifetime.ApplicationStarted.Register(() => _ = SeedAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(CancellationToken ct)
    {
        try
        {
            // An empty first municipality means a fresh demo database: then every demo municipality is seeded.
            using (TenantScope.Enter(TenantIds.Default))
            {
                using var scope = scopes.CreateScope();
                var instances = scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>();
                if ((await instances.ListAsync(new InstanceFilter(PageSize: 1), ct)).TotalCount > 0) return;
            }

            foreach (var (municipality, _) in DemoMunicipalities.All)
            {
                using (TenantScope.Enter(municipality))
                {
                    using var scope = scopes.CreateScope();
                    await SeedMunicipalityAsync(scope.ServiceProvider, municipality, ct);
                }

                LogSeeded(municipality, DemoCorrelationIds.Length, DemoCourses.Length);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e);
        }
    }

    /// <summary>One municipality's demo data, inside its scope, for its own demo workers.</summary>
    private static async Task SeedMunicipalityAsync(IServiceProvider services, string municipality, CancellationToken ct)
    {
        // Correlation ids name the municipality: unique across the installation, whatever the store's uniqueness rule.
        var prefix = municipality == TenantIds.Default ? "" : municipality + "-";
        var runtime = services.GetRequiredService<IWorkflowRuntime>();
        foreach (var correlationId in DemoCorrelationIds)
            await runtime.StartAsync(new StartWorkflowRequest("task-then-timer", CorrelationId: prefix + correlationId), ct);

        var courses = services.GetRequiredService<CtiCourseService>();
        var clock = services.GetRequiredService<TimeProvider>();
        var started = new List<Guid>();
        foreach (var (alias, localPart, goal) in DemoCourses)
        {
            var worker = DemoMunicipalities.Email(localPart, municipality);
            var citizen = await courses.CreateCitizenAsync(alias, cpr: null, ct);
            var course = (await courses.StartCourseAsync(citizen, worker, goal, definitionId: null, workerFullTimeEquivalent: 1m, ct)).CourseId;
            started.Add(course);
            await DemoCaseworkAsync(courses, course, alias, worker, clock.GetUtcNow(), ct);
        }

        await SeedCaseworkAsync(services, started[0], ct);
        // Synthetic cohort for the reports, staffed by this municipality's demo workers.
        await DemoCohort.SeedAsync(services,
            DemoMunicipalities.Email("medarbejder1", municipality), DemoMunicipalities.Email("medarbejder2", municipality), ct,
            citizens: municipality == TenantIds.Default ? DemoCohort.Citizens : 110, seed: municipality == TenantIds.Default ? 17 : 29);
        await Exit.Host.Features.SupportPersons.SupportPersonsDemo.SeedAsync(services, started[0], DemoMunicipalities.Email("frivillig1", municipality), ct);
    }

    /// <summary>
    /// Issue 8's registers on the first demo course: its network, its citizen's target-group descriptors, and a few
    /// enquiries (one of which led to the course). The task-then-timer instances' review tasks are the team queue's tasks.
    /// </summary>
    private static async Task SeedCaseworkAsync(IServiceProvider services, Guid courseId, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        Guid NewId() => Guid.CreateVersion7(clock.GetUtcNow());
        await services.GetRequiredService<CtiCourseService>().ReplaceNetworkAsync(courseId,
        [
            new SupportNetworkMember(NewId(), NetworkRole.Caseworker, "Sagsbehandler (demo)", "Jobcenter", "via jobcentrets hovednummer",
                "Forsørgelse og afklaring af beskæftigelse", [FocusArea.Economy, FocusArea.EducationAndEmployment], NetworkMemberStatus.Active),
            new SupportNetworkMember(NewId(), NetworkRole.HousingSupport, null, "Boligsocialt team", "mail til teamet",
                "Hjælp til at finde en bolig", [FocusArea.Housing], NetworkMemberStatus.Planned),
            new SupportNetworkMember(NewId(), NetworkRole.NgoWorker, null, "NGO (demo)", null, "Samtaler og netværk", [FocusArea.Network], NetworkMemberStatus.Active),
        ], ct);
        await services.GetRequiredService<TargetGroupService>().SaveAsync(courseId,
            new TargetGroupDescriptors(AgeBand.From25To34, Gender.Woman, ProstitutionForm.EscortOrOnline, MainIncome.PublicBenefits,
                YesNo.Yes, YesNo.No, YesNo.No, YesNo.No), ct);

        var intake = services.GetRequiredService<IntakeRegister>();
        var today = DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(clock.GetUtcNow()).DateTime);
        var led = await intake.RegisterAsync(today.AddDays(-20), EnquiryChannel.Outreach, anonymous: false, "Demo A", "demo", ct);
        await intake.DecideAsync(led.Id, EnquiryDecision.CourseOffered, courseId, ct);
        var referred = await intake.RegisterAsync(today.AddDays(-12), EnquiryChannel.Hospital, anonymous: true, null, "demo", ct);
        await intake.DecideAsync(referred.Id, EnquiryDecision.ReferredElsewhere, null, ct);
        await intake.RegisterAsync(today.AddDays(-3), EnquiryChannel.Citizen, anonymous: true, null, "demo", ct);
        await intake.RegisterAsync(today.AddDays(-1), EnquiryChannel.Ngo, anonymous: true, null, "demo", ct);
    }

    /// <summary>Contacts, decisions and a rhythm change, dated now (a contact cannot precede its course).</summary>
    private static async Task DemoCaseworkAsync(CtiCourseService courses, Guid course, string alias, string worker, DateTimeOffset now, CancellationToken ct)
    {
        ContactInput Contact(string kind, int minutes, string place, string[] focus, string note) => new(kind, now, minutes, place, null, null, focus, note);
        switch (alias)
        {
            case "Demo A":
                await courses.LogContactAsync(course, Contact("InPerson", 60, "Cafe", [], "Første møde: orienteret om forløbet og anonymitet."), worker, ct);
                await courses.DecideAsync(course, nameof(ClarificationAnswer.Continue), worker, ct);
                await courses.LogContactAsync(course, Contact("Accompaniment", 120, "Other", ["Housing"], "Fulgt til boligkontoret."), worker, ct);
                await courses.ChangeRhythmAsync(course, nameof(CoursePeriod.Phase1), nameof(ContactCadence.EveryTwoWeeks), worker, ct);
                break;
            case "Demo B":
                await courses.LogContactAsync(course, Contact("Phone", 15, "Other", [], "Aftalt møde på café."), worker, ct);
                await courses.LogContactAsync(course, Contact("InPerson", 45, "Cafe", [], "Talt om behov og motivation."), worker, ct);
                break; // still at its Afklaring
            default:
                await courses.DecideAsync(course, nameof(ClarificationAnswer.Continue), worker, ct);
                await courses.LogContactAsync(course, Contact("Attempted", 5, "Other", [], "Ingen svar."), worker, ct);
                await courses.LogContactAsync(course, Contact("Coordination", 30, "Office", ["Economy"], "Talt med sagsbehandleren om gæld."), worker, ct);
                await courses.LogContactAsync(course, Contact("TextChat", 10, "Other", ["Economy"], "Sms om næste aftale."), worker, ct);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data in {TenantId}: started {Count} example instances and {Courses} CTI courses")]
    private partial void LogSeeded(string tenantId, int count, int courses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data could not be created")]
    private partial void LogFailed(Exception exception);
}
