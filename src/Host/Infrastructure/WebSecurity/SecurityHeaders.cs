namespace Exit.Host.Infrastructure.WebSecurity;

/// <summary>
/// Headers on every answer. The Content-Security-Policy is one policy for the web UI and Elsa Studio (Blazor
/// WebAssembly at /studio), so it allows what Studio needs and nothing from other origins:
/// <list type="bullet">
/// <item><c>'wasm-unsafe-eval'</c>: compiling the .NET WebAssembly runtime (no JavaScript eval is allowed);</item>
/// <item><c>style-src 'unsafe-inline'</c>: MudBlazor, Radzen and the Monaco editor set style attributes and inject
/// style elements at run time, and the sign-in and Studio host pages carry a small style block;</item>
/// <item><c>worker-src blob:</c> and <c>img-src data: blob:</c>: Monaco's web workers and the designer's inline icons;</item>
/// <item><c>frame-ancestors 'none'</c>: no page may be framed (clickjacking); <c>form-action 'self'</c>, <c>base-uri 'self'</c>.</item>
/// </list>
/// No inline script anywhere: pages load their scripts from files.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self' 'wasm-unsafe-eval'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>
    /// Elsa Studio 3.8.2's workflow list pages render two small inline scripts (<c>window.editorHotkeys</c>, the
    /// Ctrl+R refresh key) from its Razor components; they are allowed by their SHA-256 on /studio only. A Studio
    /// upgrade that changes them shows up as a CSP console error in the Studio browser tests.
    /// </summary>
    public const string StudioInlineScriptHashes =
        "'sha256-snlP1jz0gjwc5cTz9ErZcliXuCK63+Mmf68RRCeptgc=' 'sha256-vu6sQrKXQHR4Yn3FMMihA/9TxxfIXnCxKwvLrTPJ5ts='";

    public static readonly string StudioContentSecurityPolicy =
        ContentSecurityPolicy.Replace("script-src 'self' 'wasm-unsafe-eval';", "script-src 'self' 'wasm-unsafe-eval' " + StudioInlineScriptHashes + ";", StringComparison.Ordinal);

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/studio") ? StudioContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY"; // for browsers without frame-ancestors
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
}
