using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Activities.Cti.Reports;

public static class ReportServiceCollectionExtensions
{
    /// <summary>
    /// The outcome and fidelity reports with their thresholds (validated here, so a wrong setting stops start-up).
    /// Supervision held comes from completed supervision tasks unless another <see cref="ISupervisionHeld"/> is registered (the series do).
    /// </summary>
    public static IServiceCollection AddCtiReports(this IServiceCollection services, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.TryAddSingleton<ISupervisionHeld, CompletedSupervisionTasks>();
        services.TryAddSingleton<ReportCourseCache>();
        services.TryAddScoped<ReportData>();
        services.TryAddScoped<CtiReports>();
        services.AddHostedService<ReportCacheWarmUp>();
        return services;
    }
}
