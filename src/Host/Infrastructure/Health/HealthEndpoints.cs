using System.Text.Json;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exit.Host.Infrastructure.Health;

/// <summary>
/// <c>/health</c>: the database answers and the timer scheduler is running. <c>/health/ready</c>: that, and the host has
/// started and is not stopping (a load balancer's question: send work here?). <c>/health/live</c>: the process serves
/// (an orchestrator's question: restart it?), no checks. Each check reported by name; unhealthy answers 503.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddExitHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Exit:Hosting").Get<HostingSettings>() ?? new HostingSettings());
        services.AddHostedService<DrainOnStop>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [Ready])
            .AddCheck<ReadinessHealthCheck>("readiness", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapExitHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", Options(c => c.Name != "readiness")).AllowAnonymous();
        app.MapHealthChecks("/health/ready", Options(c => c.Tags.Contains(Ready))).AllowAnonymous();
        app.MapHealthChecks("/health/live", Options(_ => false)).AllowAnonymous();
        return app;
    }

    private static Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = async (context, report) =>
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            });
        },
    };
}

public sealed class DatabaseHealthCheck(DatabaseMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrator.GetPendingMigrationsAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("reachable, schema up to date")
                : HealthCheckResult.Degraded($"{pending.Count} migrations pending");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}

public sealed class SchedulerHealthCheck(Quartz.ISchedulerFactory factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        return scheduler.Status == Quartz.SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"{scheduler.SchedulerName} running")
            : HealthCheckResult.Unhealthy($"{scheduler.SchedulerName} not running");
    }
}
