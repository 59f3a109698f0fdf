using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Exit.Host.Studio;

/// <summary>
/// Our own page around the Studio custom elements (the package's index.html uses a tag that is not registered):
/// a header with links, the <c>elsa-backend-provider</c> (API address and access token) first, then exactly one
/// Studio element for the requested <see cref="StudioView"/>. Each view is its own page load: two Studio elements
/// alive in one page at once (even briefly, when one replaces another) break MudBlazor's popover provider
/// ("There is already a subscriber … 'mud-overlay-to-popover-provider'", seen in Chromium with 3.8.2).
/// exit-studio.js wires the element's callbacks to page navigation.
/// </summary>
internal static class StudioHostPage
{
    private static readonly string[] Stylesheets =
    [
        "_content/MudBlazor/MudBlazor.min.css",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.css",
        "_content/Radzen.Blazor/css/material-base.css",
        "_content/Elsa.Studio.Shell/css/shell.css",
        "Elsa.Studio.Host.CustomElements.styles.css",
    ];

    private static readonly string[] Scripts =
    [
        "_content/BlazorMonaco/jsInterop.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/loader.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/editor/editor.main.js",
        "_content/MudBlazor/MudBlazor.min.js",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.js",
        "_content/Radzen.Blazor/Radzen.Blazor.js",
        "_framework/blazor.webassembly.js",
        StudioScript.FileName,
    ];

    private const string Styles = """
        html, body { margin: 0; height: 100%; }
        body { display: flex; flex-direction: column; font-family: Roboto, "Helvetica Neue", Arial, sans-serif; }
        .exit-header { display: flex; align-items: center; gap: 2rem; padding: 0 1.25rem; height: 3rem; flex: none;
                       background: #1f2937; color: #fff; }
        .exit-header a { color: inherit; text-decoration: none; }
        .exit-brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .04em; }
        .exit-header nav ul { display: flex; gap: 1.25rem; margin: 0; padding: 0; list-style: none; }
        .exit-header nav a { padding: .25rem 0; border-bottom: 2px solid transparent; }
        .exit-header nav a:hover, .exit-header nav a:focus-visible { border-bottom-color: #9ca3af; }
        .exit-header nav a[aria-current="page"] { border-bottom-color: #fff; }
        .exit-main { flex: 1; min-height: 0; overflow: auto; }
        """;

    public static string Render(HttpContext context, StudioOptions options, StudioView view)
    {
        var request = context.Request;
        var basePath = request.PathBase.Add(options.Path).Value + "/";
        var remoteEndpoint = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.Add(options.ApiPath).ToUriComponent()}";
        var accessToken = options.AccessTokenProvider?.Invoke(context);
        var attr = HtmlEncoder.Default;

        var html = new StringBuilder(4096);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">

            """);
        html.Append("<title>Exit – ").Append(attr.Encode(view.Title)).Append("</title>\n");
        html.Append("<base href=\"").Append(attr.Encode(basePath)).Append("\">\n");
        html.Append("<link rel=\"icon\" type=\"image/png\" sizes=\"32x32\" href=\"_content/Elsa.Studio.Shell/favicon-32x32.png\">\n");
        foreach (var stylesheet in Stylesheets)
        {
            html.Append("<link rel=\"stylesheet\" href=\"").Append(stylesheet).Append("\">\n");
        }

        html.Append("<style>\n").Append(Styles).Append("\n</style>\n</head>\n<body>\n");
        var current = " aria-current=\"page\"";
        html.Append("""
            <header class="exit-header">
              <a class="exit-brand" href="./">Exit</a>
              <nav aria-label="Studio">
                <ul>

            """);
        html.Append("      <li><a href=\"workflows/definitions\"").Append(view.IsInstanceSection ? "" : current).Append(">Workflows</a></li>\n");
        html.Append("      <li><a href=\"workflows/instances\"").Append(view.IsInstanceSection ? current : "").Append(">Instances</a></li>\n");
        html.Append("""
                </ul>
              </nav>
            </header>

            """);

        // The provider must come before the views: BackendService is a singleton configured by the first element.
        html.Append("<elsa-backend-provider remote-endpoint=\"").Append(attr.Encode(remoteEndpoint)).Append('"');
        if (!string.IsNullOrEmpty(accessToken))
        {
            html.Append(" access-token=\"").Append(attr.Encode(accessToken)).Append('"');
            if (options.TokenRenewalPath is { } renewal)
            {
                html.Append(" data-exit-token-url=\"").Append(attr.Encode(request.PathBase.Add(renewal).ToUriComponent())).Append('"');
                html.Append(" data-exit-token-renew-ms=\"").Append((long)options.TokenRenewalInterval.TotalMilliseconds).Append('"');
            }
        }

        html.Append("></elsa-backend-provider>\n");
        html.Append("<main id=\"exit-studio-view\" class=\"exit-main\">\n<").Append(view.Tag);
        if (view.IdAttribute is { } idAttribute)
        {
            html.Append(' ').Append(idAttribute).Append("=\"").Append(attr.Encode(view.Id!)).Append('"');
        }

        html.Append("></").Append(view.Tag).Append(">\n</main>\n");
        html.Append("""
            <div id="blazor-error-ui" role="alert">
              An unhandled error has occurred.
              <a href="" class="reload">Reload</a>
              <a class="dismiss" aria-label="Dismiss">🗙</a>
            </div>

            """);
        foreach (var script in Scripts)
        {
            html.Append("<script src=\"").Append(script).Append("\"></script>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }
}
