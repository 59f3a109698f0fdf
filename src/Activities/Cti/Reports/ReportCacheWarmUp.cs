using System.Diagnostics;
using Exit.Workflows.Hosting;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Once the application has started: reads every municipality's courses, evaluations and contacts into the
/// <see cref="ReportCourseCache"/> (<see cref="ReportOptions.WarmUpAtStart"/>), so the first report after a restart is a
/// warm one instead of restoring every course's JSON while a manager waits (3 s of CPU at 10,000 citizens). Runs once in
/// the background, one municipality after the other; a failure is logged and the first report reads what it needs itself.
/// </summary>
public sealed class ReportCacheWarmUp(
    IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, IServiceProvider services, ReportOptions options, ILogger<ReportCacheWarmUp> logger)
    : AfterStartService(lifetime)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        if (!options.WarmUpAtStart) return;
        var tenants = services.GetService<ITenantDirectory>() ?? new SingleTenantDirectory();
        try
        {
            foreach (var tenant in (await tenants.ListAsync(ct)).Where(t => t.Id != TenantIds.Templates))
            {
                using var scope = TenantScope.Enter(tenant.Id);
                await using var di = scopes.CreateAsyncScope();
                var watch = Stopwatch.StartNew();
                var courses = await di.ServiceProvider.GetRequiredService<ReportData>().CoursesAsync(ReportParts.All, ct);
                logger.LogInformation("Report cache warmed for municipality {TenantId}: {Courses} courses in {ElapsedMs} ms", tenant.Id, courses.Count, watch.ElapsedMilliseconds);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Warming the report cache failed; the first report reads the courses itself");
        }
    }
}
