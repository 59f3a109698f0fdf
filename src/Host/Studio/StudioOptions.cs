using Microsoft.AspNetCore.Http;

namespace Exit.Host.Studio;

/// <summary>
/// Settings for the Elsa Studio front end that Exit.Host serves (see <see cref="StudioEndpoints.MapStudio"/>).
/// Configure with <c>services.Configure&lt;StudioOptions&gt;(…)</c> or <see cref="StudioEndpoints.AddStudio"/>.
/// </summary>
public sealed class StudioOptions
{
    /// <summary>Where the Studio is mounted. The host page sets <c>&lt;base href&gt;</c> to this path plus "/".</summary>
    public PathString Path { get; set; } = "/studio";

    /// <summary>Path of the Elsa-compatible API on this origin; Studio gets <c>{scheme}://{host}{pathBase}{ApiPath}</c>.</summary>
    public PathString ApiPath { get; set; } = "/elsa/api";

    /// <summary>
    /// Folder holding the unpacked npm bundle (the one with <c>_framework/</c> and <c>_content/</c>).
    /// When null, <c>&lt;app&gt;/studio</c> (publish output) and then
    /// <c>&lt;content root&gt;/studio-package/node_modules/@elsa-workflows/elsa-studio-wasm</c> (build, tests) are tried.
    /// </summary>
    public string? BundleDirectory { get; set; }

    /// <summary>
    /// Returns the bearer token the Studio sends to the API (<c>access-token</c> on <c>elsa-backend-provider</c>),
    /// or null for no <c>Authorization</c> header. Called once per host-page request; the sign-in work plugs in here.
    /// </summary>
    public Func<HttpContext, string?>? AccessTokenProvider { get; set; }

    /// <summary>
    /// Where the page fetches a fresh token (<c>POST</c>, cookie-authenticated, answering <c>{accessToken}</c>), and
    /// how often: the tokens are short-lived, so an open Studio page renews its token before it expires. Null: no renewal.
    /// </summary>
    public PathString? TokenRenewalPath { get; set; }

    public TimeSpan TokenRenewalInterval { get; set; } = TimeSpan.FromMinutes(5);
}
