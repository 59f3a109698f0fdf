using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Exit.Host.Ui;

/// <summary>
/// The stylesheets, served to anyone. The sign-in page is shown before anyone is signed in, and the authorization
/// fallback (signed-in staff) guards every request that reaches it, static files included, so the stylesheet has to
/// be served before authentication. Only <c>.css</c> files under <c>/css</c>: they hold no data; scripts and
/// everything else in <c>wwwroot</c> stay behind sign-in (<see cref="UiServiceCollectionExtensions.UseExitUi"/>).
/// </summary>
public static class UiStylesheets
{
    public const string RequestPath = "/css";

    public static WebApplication UseAnonymousStylesheets(this WebApplication app)
    {
        var folder = app.Environment.WebRootPath is { } root ? Path.Combine(root, "css") : null;
        if (folder is null || !Directory.Exists(folder)) return app;
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Clear();
        types.Mappings[".css"] = "text/css";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = RequestPath,
            ContentTypeProvider = types,
        });
        return app;
    }
}
