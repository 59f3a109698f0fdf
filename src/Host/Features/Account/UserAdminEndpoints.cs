using System.Security.Claims;
using Exit.Host.Features.Account.Admin;
using Exit.Host.Features.Account.Mfa;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Account;

/// <summary>
/// Admin: staff users under <c>/api/admin/users</c>: list, create, set roles, unlock, reset the second factor. The
/// rules (nobody changes their own roles, audit of every action and refusal) live in <see cref="UserAdministration"/>
/// and <see cref="UserMfa"/>, which the admin pages use too; these endpoints only translate to HTTP.
/// </summary>
public static class UserAdminEndpoints
{
    public sealed record CreateUserRequest(string? Email, string? Password, string[]? Roles);
    public sealed record SetRolesRequest(string[]? Roles);

    public static RouteGroupBuilder MapUserAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(ExitPolicies.Admin).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", List).WithName("ListUsers");
        group.MapPost("/", Create).WithName("CreateUser");
        group.MapPut("/{id}/roles", SetRoles).WithName("SetUserRoles");
        group.MapPost("/{id}/unlock", Unlock).WithName("UnlockUser");
        group.MapPost("/{id}/mfa/reset", async Task<Results<NoContent, NotFound>> (string id, UserMfa mfa, CancellationToken ct) =>
            await mfa.ResetAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithName("ResetUserMfa");
        return group;
    }

    private static async Task<Ok<List<UserAdministration.UserSummary>>> List(UserAdministration admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.ListAsync(ct));

    private static async Task<Created<UserAdministration.UserSummary>> Create(CreateUserRequest body, UserAdministration admin)
    {
        var user = await Translate(() => admin.CreateAsync(body.Email, body.Password, body.Roles));
        return TypedResults.Created($"/api/admin/users/{user.Id}", user);
    }

    private static async Task<Results<Ok<UserAdministration.UserSummary>, NotFound>> SetRoles(
        string id, SetRolesRequest body, UserAdministration admin, ClaimsPrincipal caller) =>
        await Translate(() => admin.SetRolesAsync(caller, id, body.Roles)) is { } user ? TypedResults.Ok(user) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Unlock(string id, UserAdministration admin) =>
        await admin.UnlockAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<T> Translate<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (AdminRefusedException e)
        {
            throw e.ToValidation();
        }
    }
}
