using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>
/// Right after authentication: the rest of the request runs in the signed-in user's municipality
/// (<see cref="MunicipalityClaims.ScopeOf"/>), so every tenant-filtered query and write of the request is that
/// municipality's. Without a municipality there is no scope: tenant-owned data is invisible and cannot be written.
/// </summary>
public static class MunicipalityScope
{
    public static IApplicationBuilder UseMunicipalityScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (MunicipalityClaims.ScopeOf(context.User) is not { } tenant)
            {
                await next(context);
                return;
            }

            using (TenantScope.Enter(tenant))
                await next(context);
        });
}
