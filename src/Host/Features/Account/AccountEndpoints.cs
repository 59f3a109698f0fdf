using System.Security.Claims;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Account;

/// <summary>
/// <c>GET /api/account/me</c> (who am I: id, name, roles) and <c>POST /api/account/token</c> (a short-lived bearer
/// token for the signed-in user, valid on <c>/elsa/api</c> only; the Studio page gets one through
/// <c>StudioOptions.AccessTokenProvider</c> and renews it here while it is open).
/// </summary>
public static class AccountEndpoints
{
    public sealed record Me(string? Id, string? Name, IReadOnlyList<string> Roles, string AuthenticationType);
    public sealed record TokenResponse(string TokenType, string AccessToken, DateTimeOffset ExpiresAt);

    /// <summary>Where a signed-in page (Studio) gets a fresh bearer token.</summary>
    public const string TokenPath = "/api/account/token";

    public static RouteGroupBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account").WithTags("Account").RequireAuthorization(ExitPolicies.Staff);
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
            user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name,
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)], user.Identity?.AuthenticationType ?? ""))).WithName("GetMe");
        group.MapPost("/token", Results<Ok<TokenResponse>, UnauthorizedHttpResult> (ClaimsPrincipal user, BearerTokenIssuer issuer) =>
            issuer.Issue(user) is { } token
                ? TypedResults.Ok(new TokenResponse("Bearer", token.AccessToken, token.ExpiresAt))
                : TypedResults.Unauthorized()).WithName("IssueToken");
        return group;
    }
}
