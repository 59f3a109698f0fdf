using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;
using Exit.Workflows.Hosting;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Activities.Cti;

public static class CtiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the CTI activities (category "CTI"), the CTI store (commit participant, migrations) and the
    /// application services. Call after <c>AddHumanTasks</c> (CTI tasks are ordinary task records and the CTI
    /// participant must run after the task participant). Its migrations run at start-up through
    /// <see cref="IStoreMigration"/>. The host may register an <see cref="Domain.ICprProtector"/>.
    /// </summary>
    public static IServiceCollection AddCti(this IServiceCollection services, Action<CtiStoreOptions> configure)
    {
        var options = new CtiStoreOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException("AddCti needs a connection string for the CTI store.");

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddSingleton<CtiDbContextFactory>();
        services.TryAddSingleton<CtiStartTickets>();
        // The course state is the CTI activities' own: no expression reads or forges it.
        services.AddSingleton(new ScriptHiddenVariable(CtiWorkflow.CourseVariable));
        services.TryAddSingleton(DanishWorkingDays.Default); // the host may register one with its own optional days off
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitParticipant, CtiCommitParticipant>());
        services.AddActivity<StartCtiCourse>(StartCtiCourse.Descriptor);
        services.AddActivity<CtiPhase>(CtiPhase.Descriptor);
        services.AddActivity<RaiseSupervision>(RaiseSupervision.Descriptor);
        services.AddActivity<ScheduleEvaluation>(ScheduleEvaluation.Descriptor);
        services.AddActivity<Handover>(Handover.Descriptor);
        services.AddActivity<EndCtiCourse>(EndCtiCourse.Descriptor);
        services.TryAddScoped<CtiCourseService>();
        services.TryAddScoped<CtiQueries>();
        services.TryAddScoped<TargetGroupService>();
        services.TryAddScoped<IntakeRegister>();
        services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateCtiAsync(ct)));
        services.AddHostedService<LegacyCourseUpgrade>();
        return services;
    }

    /// <summary>Applies the CTI store's migrations (history table <c>__CtiMigrationsHistory</c>).</summary>
    public static async Task MigrateCtiAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var db = services.GetRequiredService<CtiDbContextFactory>().Create();
        await db.Database.MigrateWithoutProbeErrorAsync(ct);
    }
}
