using Microsoft.AspNetCore.Identity;
using Microsoft.Net.Http.Headers;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Cross-site request forgery on the JSON API: a browser sends the sign-in cookie with a form another site posts,
/// but a cross-site form can only send <c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c> or
/// <c>text/plain</c>, and anything else needs a CORS preflight this service never grants. So a state-changing
/// request (POST, PUT, PATCH, DELETE) to <c>/api</c> or <c>/elsa/api</c> that is authenticated by the cookie must say
/// <c>Content-Type: application/json</c>; otherwise it is refused with 415 problem+json before any endpoint runs.
/// API keys and bearer tokens are not sent by browsers on their own and are not affected. (Pages and forms use
/// antiforgery tokens instead.)
/// </summary>
public static class CookieApiContentType
{
    public static IApplicationBuilder UseJsonOnlyForCookieApiChanges(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsRefused(context))
            {
                await TypedResults.Problem(
                    title: "Unsupported media type",
                    detail: "Requests that change data with the sign-in cookie must send Content-Type: application/json.",
                    statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static bool IsRefused(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return false;
        if (!request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/elsa/api")) return false;
        if (context.User.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme) return false;
        return !(MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
                 && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true));
    }
}
