using System.Security.Claims;
using Exit.Host.Features.Account.Admin;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Account;

/// <summary>
/// Admin: API keys under <c>/api/admin/api-keys</c>. The rules (owner-role subset, no citizen-data role without an
/// owner, audit) live in <see cref="ApiKeyAdministration"/>, which the admin pages use too; these endpoints only
/// translate to HTTP. The key is shown once, in the answer to its creation.
/// </summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyRequest(string? Name, string[]? Roles, string? OwnerUserId);
    public sealed record ApiKeyCreated(string Id, string Key, string Name, string OwnerName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
    public sealed record ApiKeySummary(string Id, string Prefix, string Name, string OwnerName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? RevokedAt);

    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/api-keys").WithTags("Admin").RequireAuthorization(ExitPolicies.Admin).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", List).WithName("ListApiKeys");
        group.MapPost("/", Create).WithName("CreateApiKey");
        group.MapDelete("/{id}", Revoke).WithName("RevokeApiKey");
        return group;
    }

    private static async Task<Ok<List<ApiKeySummary>>> List(ApiKeyAdministration keys, CancellationToken ct) =>
        TypedResults.Ok((await keys.ListAsync(ct)).Select(k => new ApiKeySummary(k.Id, k.Prefix, k.Name, k.OwnerName, k.Roles, k.CreatedAt, k.CreatedBy, k.RevokedAt)).ToList());

    private static async Task<Created<ApiKeyCreated>> Create(CreateApiKeyRequest body, ApiKeyAdministration keys, ClaimsPrincipal admin, CancellationToken ct)
    {
        try
        {
            var (key, secret) = await keys.CreateAsync(admin, body.Name, body.Roles, body.OwnerUserId, ct);
            return TypedResults.Created($"/api/admin/api-keys/{key.Id}", new ApiKeyCreated(key.Id, secret, key.Name, key.OwnerName, key.Roles, key.CreatedAt));
        }
        catch (AdminRefusedException e)
        {
            throw e.ToValidation();
        }
    }

    private static async Task<Results<NoContent, NotFound>> Revoke(string id, ApiKeyAdministration keys, CancellationToken ct) =>
        await keys.RevokeAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
