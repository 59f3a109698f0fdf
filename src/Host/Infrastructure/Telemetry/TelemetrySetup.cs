using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Exit.Host.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry metrics and traces: the runtime's meter and spans (<see cref="WorkflowTelemetry"/>), the open and
/// overdue task gauges (<see cref="TaskGauges"/>), ASP.NET Core's HTTP metrics and request spans. Metrics are scraped
/// by Prometheus at <c>/metrics</c> (admin only: the figures reveal caseload sizes); both are pushed over OTLP when
/// <c>Exit:Telemetry:Otlp:Endpoint</c> is set. The Prometheus exporter is the 1.20.1-beta.1 package, the only one served.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "exit";
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddExitTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["Exit:Telemetry:Otlp:Endpoint"];
        services.AddSingleton<TaskGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(m =>
            {
                m.AddMeter(WorkflowTelemetry.Name, TaskGauges.MeterName);
                m.AddAspNetCoreInstrumentation();
                m.AddInstrumentation(sp => sp.GetRequiredService<TaskGauges>());
                // Every scrape reads fresh figures: a test (or an operator) looking twice in a row sees the change.
                m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (!string.IsNullOrWhiteSpace(otlp)) m.AddOtlpExporter(o => Otlp(o, otlp));
            });
        // Spans only when they go somewhere. A tracer provider without an exporter still made ASP.NET Core create, tag and
        // stop a request activity (and the runtime its workflow spans) on every request for nobody: ~2 % of the Host's
        // CPU under the HTTP bench (docs/performance.md, "Issues 11 and 13: the Host's own cost per request").
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            services.AddOpenTelemetry().WithTracing(t =>
            {
                t.AddSource(WorkflowTelemetry.Name);
                // Health probes every few seconds are noise in a trace store.
                t.AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                                                                        && !context.Request.Path.StartsWithSegments(MetricsPath));
                t.AddOtlpExporter(o => Otlp(o, otlp));
            });
        }
        return services;
    }

    /// <summary>The Prometheus text exposition at <see cref="MetricsPath"/>, for admins (a user, or an API key with the admin role).</summary>
    public static IEndpointConventionBuilder MapExitMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(ExitPolicies.Admin);

    private static void Otlp(OtlpExporterOptions options, string endpoint)
    {
        options.Endpoint = new Uri(endpoint);
    }
}
