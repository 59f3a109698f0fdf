using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Municipalities;

/// <summary>
/// <c>GET|POST /api/municipalities</c>, the national role only (<see cref="ExitPolicies.National"/>): the list (id, name,
/// created, number of users) and a new municipality (<c>{id, name}</c>; 400 problem+json naming each bad field, 409 when
/// the id is taken).
/// </summary>
public static class MunicipalityEndpoints
{
    public const string Path = "/api/municipalities";

    public sealed record CreateMunicipalityRequest(string? Id, string? Name);

    public static RouteGroupBuilder MapMunicipalityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Municipalities").RequireAuthorization(ExitPolicies.National).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", async (MunicipalityAdministration municipalities, CancellationToken ct) => TypedResults.Ok(await municipalities.ListAsync(ct)))
            .WithName("ListMunicipalities").WithSummary("The municipalities of this installation.");
        group.MapPost("/", Create).WithName("CreateMunicipality")
            .WithSummary("A new municipality (id slug, name); it adopts the national template library.");
        return group;
    }

    private static async Task<Results<Created<MunicipalityAdministration.MunicipalitySummary>, ProblemHttpResult>> Create(
        CreateMunicipalityRequest body, MunicipalityAdministration municipalities, CancellationToken ct)
    {
        try
        {
            var created = await municipalities.CreateAsync(body.Id, body.Name, ct);
            return TypedResults.Created($"{Path}/{created.Id}", created);
        }
        catch (MunicipalityExistsException e)
        {
            return TypedResults.Problem(title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["id"] = [e.Message] } });
        }
    }
}
