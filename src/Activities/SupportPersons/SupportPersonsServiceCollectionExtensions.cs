using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Workflows.Hosting;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Activities.SupportPersons;

public static class SupportPersonsServiceCollectionExtensions
{
    /// <summary>
    /// The support-and-contact-person scheme: register, matching, the volunteer's casework and the supervision series with
    /// their planner. Needs the CTI module (contacts go to its contact log). Migrates at start-up through <see cref="IStoreMigration"/>.
    /// </summary>
    public static IServiceCollection AddSupportPersons(this IServiceCollection services, SupportPersonsStoreOptions store, SupervisionOptions supervision)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddSingleton(supervision);
        services.TryAddSingleton<SupportPersonsDbContextFactory>();
        services.TryAddScoped<SupervisionSeriesService>();
        services.TryAddScoped<SupportPersonRegister>();
        services.TryAddScoped<SupportPersonMatching>();
        services.TryAddScoped<VolunteerCasework>();
        services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateSupportPersonsAsync(ct)));
        // After the task store's migration (registered before this module): per-course supervision is retired.
        services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) =>
            PerCourseSupervisionRetirement.RetireAsync(sp.GetRequiredService<Exit.Activities.HumanTasks.TaskDbContextFactory>(), sp.GetRequiredService<TimeProvider>(), ct)));
        services.AddHostedService<SupervisionPlanner>();
        // The fidelity report counts the series' held sessions (whether or not the reports were registered first).
        services.Replace(ServiceDescriptor.Singleton<Exit.Activities.Cti.Reports.ISupervisionHeld, SupervisionHeldFromSeries>());
        return services;
    }

    public static async Task MigrateSupportPersonsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var db = services.GetRequiredService<SupportPersonsDbContextFactory>().Create();
        await db.Database.MigrateWithoutProbeErrorAsync(ct);
    }
}
