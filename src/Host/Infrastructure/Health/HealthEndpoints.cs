using System.Text.Json;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exit.Host.Infrastructure.Health;

/// <summary>/health: the database answers and the timer scheduler is running. Each check reported by name.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddExitHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<SchedulerHealthCheck>("scheduler");
        return services;
    }

    public static IEndpointConventionBuilder MapExitHealthChecks(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                });
            },
        });
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
