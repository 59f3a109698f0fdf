using Microsoft.AspNetCore.Identity;

namespace Exit.Host.Features.Account.Mfa;

public static class MfaServiceCollectionExtensions
{
    public static IServiceCollection AddExitMfa(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(MfaRequirement.From(configuration));
        services.AddScoped<UserMfa>();
        services.Configure<SecurityStampValidatorOptions>(MfaRequirement.KeepSecondFactorOnRefresh);
        return services;
    }

    public static IEndpointRouteBuilder MapMfaPages(this IEndpointRouteBuilder app)
    {
        app.MapMfaSignInPage();
        app.MapMfaSetupPage();
        return app;
    }
}
