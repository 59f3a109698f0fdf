using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Exit.Host.Infrastructure.Logging;

/// <summary>
/// Serilog as the only logging provider: structured JSON lines, with the ids the runtime puts in
/// logging scopes (instance, task, course) as properties. Message templates never carry personal data.
/// </summary>
public static class LoggingSetup
{
    public static void AddExitLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(builder.Configuration);

        if (builder.Configuration.GetValue("Exit:Logging:Json", true))
            configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));
        else
            configuration.WriteTo.Console();

        var file = builder.Configuration["Exit:Logging:File"];
        if (!string.IsNullOrWhiteSpace(file))
            configuration.WriteTo.File(new JsonFormatter(renderMessage: true), file, rollingInterval: RollingInterval.Day);

        // A logger per host, not the static Log.Logger: several hosts share one process in tests, and one host's
        // shutdown must not dispose the logger another is still writing to.
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
    }
}
