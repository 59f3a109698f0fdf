namespace Exit.Host.Features.National;

public static class NationalServiceCollectionExtensions
{
    /// <summary>The cross-municipality report and its policy (needs the CTI reports: <c>AddCtiReportsFeature</c>).</summary>
    public static IServiceCollection AddNationalReport(this IServiceCollection services)
    {
        services.AddScoped<NationalReportService>();
        NationalPolicies.AddTo(services.AddAuthorizationBuilder());
        return services;
    }
}
