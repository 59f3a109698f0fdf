using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Host.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Cti.Network;

/// <summary>
/// <c>GET|PUT /api/courses/{courseId}/network</c>: the citizen's support network. PUT replaces the whole list (members
/// keep their id when sent with it; the handover recipient stays while they are in the list). Mapped in the CTI group,
/// so the caseload check and the audit entry come from <c>CtiAccessFilter</c>.
/// </summary>
public static class CourseNetworkEndpoints
{
    public sealed record NetworkResponse(Guid CourseId, IReadOnlyList<CourseNetworkMember> Members);

    public static RouteGroupBuilder MapCourseNetwork(this RouteGroupBuilder group)
    {
        group.MapGet("/courses/{courseId:guid}/network", Get).WithName("GetCourseNetwork")
            .WithSummary("The course's support network: kind, actor, contact person, how to reach them, role in the plan, focus areas, status.");
        group.MapPut("/courses/{courseId:guid}/network", Put).WithName("ReplaceCourseNetwork")
            .WithSummary("Replaces the support network; 400 names each bad field (members[i].kind …), nothing is stored then.")
            .Accepts<JsonObject>("application/json")
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<Results<Ok<NetworkResponse>, NotFound>> Get(Guid courseId, CtiQueries queries, CancellationToken ct) =>
        await queries.TimelineAsync(courseId, ct) is { } view ? TypedResults.Ok(new NetworkResponse(courseId, view.Network)) : TypedResults.NotFound();

    private static async Task<Results<Ok<NetworkResponse>, NotFound>> Put(
        Guid courseId, HttpRequest request, CtiCourseService service, CtiQueries queries, TimeProvider clock, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        var problems = new List<ValidationFailure>();
        var members = NetworkInput.Read(body?["members"], () => Guid.CreateVersion7(clock.GetUtcNow()), problems);
        if (problems.Count > 0) throw new RequestValidationException(problems);
        await service.ReplaceNetworkAsync(courseId, members, ct);
        return await Get(courseId, queries, ct);
    }

    private static async Task<JsonObject?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true }, cancellationToken: ct) switch
            {
                null => null,
                JsonObject o => o,
                _ => throw new RequestValidationException([new("body", "The body must be a JSON object with 'members'.")]),
            };
        }
        catch (JsonException e)
        {
            throw new RequestValidationException([new("body", $"Malformed JSON: {e.Message}")]);
        }
    }
}
