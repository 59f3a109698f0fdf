using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Exit.Host.Infrastructure.Logging;

/// <summary>
/// Serilog as the only logging provider (Serilog.AspNetCore): a human-readable console in Development, compact JSON
/// lines (CLEF) elsewhere, with the ids the runtime puts in logging scopes (instance, task, course) as properties.
/// Message templates never carry personal data.
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

        // Someone running the service on their machine reads the console; a server's collector parses it.
        if (builder.Configuration.GetValue("Exit:Logging:Json", !builder.Environment.IsDevelopment()))
            configuration.WriteTo.Console(new CompactJsonFormatter());
        else
            configuration.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        var file = builder.Configuration["Exit:Logging:File"];
        if (!string.IsNullOrWhiteSpace(file))
            configuration.WriteTo.File(new CompactJsonFormatter(), file, rollingInterval: RollingInterval.Day);

        // A logger per host, not the static Log.Logger: several hosts share one process in tests, and one host's
        // shutdown must not dispose the logger another is still writing to.
        builder.Host.UseSerilog(configuration.CreateLogger(), dispose: true);
    }

    /// <summary>
    /// One line per request (Serilog's request logging): method, route template, status and elapsed time. The raw path
    /// is replaced by the route template on purpose, and the query string is never logged: both can carry identifiers
    /// a log reader has no business with.
    /// </summary>
    public static IApplicationBuilder UseExitRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
            o.IncludeQueryInRequestPath = false;
            o.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)")),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
}
