using Exit.Workflows.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Application;

/// <summary>
/// Once the application has started (stores migrated, scheduler running): upgrades courses started before the
/// contact rhythm (<see cref="CtiCourseService.UpgradeLegacyCoursesAsync"/>). Runs in the background; a failure is
/// logged and retried at the next start.
/// </summary>
public sealed class LegacyCourseUpgrade(IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, ILogger<LegacyCourseUpgrade> logger)
    : AfterStartService(lifetime)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CtiCourseService>().UpgradeLegacyCoursesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Upgrading courses to the contact rhythm failed; it is tried again at the next start");
        }
    }
}
