using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exit.Host.Studio;

/// <summary>Registers the Elsa Studio front end (host page + npm bundle) under <see cref="StudioOptions.Path"/>.</summary>
public static class StudioEndpoints
{
    /// <summary>Optional: configures <see cref="StudioOptions"/>. <see cref="MapStudio"/> also works without it.</summary>
    public static IServiceCollection AddStudio(this IServiceCollection services, Action<StudioOptions>? configure = null)
    {
        var builder = services.AddOptions<StudioOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Maps, below <c>{Path}</c>: the bundle's files, <c>exit-studio.js</c>, and the host page for each
    /// <see cref="StudioView"/> path (<c>/</c>, <c>workflows/definitions[/{id}/edit]</c>,
    /// <c>workflows/instances[/{id}/view]</c>); <c>{Path}</c> redirects to <c>{Path}/</c> and
    /// <c>{Path}/?view=…&amp;id=…</c> to the matching path. Returns the group so callers can add conventions
    /// (e.g. <c>RequireAuthorization()</c>).
    /// </summary>
    public static RouteGroupBuilder MapStudio(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<StudioOptions>>().Value;
        var environment = services.GetRequiredService<IWebHostEnvironment>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StudioEndpoints).FullName!);

        var directory = StudioBundle.Locate(options, environment.ContentRootPath);
        var bundle = directory is null ? null : new StudioBundle(directory);
        if (bundle is null)
        {
            logger.LogWarning(
                "Elsa Studio bundle not found (BundleDirectory={BundleDirectory}, content root {ContentRoot}); {Path} answers 503. Build Exit.Host to run npm ci.",
                options.BundleDirectory, environment.ContentRootPath, options.Path);
        }
        else
        {
            logger.LogInformation("Serving Elsa Studio at {Path} from {BundleDirectory}", options.Path, bundle.Directory);
        }

        var group = endpoints.MapGroup(options.Path);
        group.ExcludeFromDescription();

        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];
        group.MapMethods("/" + StudioScript.FileName, getOrHead, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Text(StudioScript.Source, "text/javascript", Encoding.UTF8);
        });

        group.MapMethods("/{**path}", getOrHead, (HttpContext context, IOptions<StudioOptions> current, string? path) =>
        {
            path ??= string.Empty;
            if (path.Length == 0 && !context.Request.Path.Value!.EndsWith('/'))
            {
                // "/studio" → "/studio/", so that relative links and the base href agree.
                return Results.Redirect(context.Request.PathBase.Add(context.Request.Path).Value + "/" + context.Request.QueryString);
            }

            if (bundle is null)
            {
                return Results.Text("The Elsa Studio bundle is not installed on this server.", "text/plain", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
            }

            if (bundle.TryServe(context, path) is { } file)
            {
                return file;
            }

            if (path.Length == 0 && StudioView.FromQuery(context.Request.Query) is { } shortForm)
            {
                return Results.Redirect(context.Request.PathBase.Add(current.Value.Path).Value + "/" + shortForm.RelativePath);
            }

            if (StudioView.FromPath(path) is not { } view)
            {
                return Results.NotFound();
            }

            // The host page carries a per-user token: never cache it.
            context.Response.Headers.CacheControl = "no-store";
            return Results.Content(StudioHostPage.Render(context, current.Value, view), "text/html", Encoding.UTF8);
        });

        return group;
    }
}
