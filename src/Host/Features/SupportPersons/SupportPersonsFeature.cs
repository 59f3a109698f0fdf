using Exit.Activities.SupportPersons;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Configuration;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Features.SupportPersons;

/// <summary>
/// The support-and-contact-person scheme in the Host: its module on the application's database, the auth module's
/// <see cref="ISupportPersonDirectory"/>, and the worker supervision series' cadence from <c>Exit:Supervision:Workers:Cadence</c>
/// (<c>Weekly</c>, <c>Fortnightly</c>, <c>Monthly</c> or <c>None</c>; default weekly, as the CTI method prescribes).
/// </summary>
public static class SupportPersonsFeature
{
    public static IServiceCollection AddSupportPersonsFeature(this IServiceCollection services, DatabaseOptions database, IConfiguration configuration)
    {
        var cadenceText = configuration["Exit:Supervision:Workers:Cadence"];
        var options = new SupervisionOptions();
        if (string.Equals(cadenceText, "None", StringComparison.OrdinalIgnoreCase)) options.WorkerCadence = null;
        else if (!string.IsNullOrWhiteSpace(cadenceText))
        {
            if (!SupportPersonValidation.TryName<SupervisionCadence>(cadenceText, out var cadence))
                throw new StartupRefusedException($"Exit:Supervision:Workers:Cadence is '{cadenceText}'; one of Weekly, Fortnightly, Monthly, None.");
            options.WorkerCadence = cadence;
        }

        services.AddSupportPersons(new SupportPersonsStoreOptions { Provider = database.Provider, ConnectionString = database.ConnectionString }, options);
        services.Replace(ServiceDescriptor.Scoped<ISupportPersonDirectory, SupportPersonDirectory>());
        return services;
    }

    /// <summary>The register, the volunteer's own API and the supervision series.</summary>
    public static IEndpointRouteBuilder MapSupportPersons(this IEndpointRouteBuilder app)
    {
        app.MapSupportPersonEndpoints();
        app.MapVolunteerEndpoints();
        app.MapSupervisionEndpoints();
        return app;
    }
}
