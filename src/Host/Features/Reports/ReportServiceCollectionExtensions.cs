using Exit.Activities.Cti.Reports;

namespace Exit.Host.Features.Reports;

public static class ReportFeatureServiceCollectionExtensions
{
    /// <summary>The outcome and fidelity reports, their thresholds bound from <c>Exit:Reports</c> (validated: a wrong value stops start-up).</summary>
    public static IServiceCollection AddCtiReportsFeature(this IServiceCollection services, IConfiguration configuration) =>
        services.AddCtiReports(configuration.GetSection(ReportOptions.Section).Get<ReportOptions>() ?? new ReportOptions());
}
