using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Cti.Descriptors;

/// <summary>
/// <c>GET|PUT /api/courses/{courseId}/descriptors</c>: the target-group descriptors of the course's citizen, all optional
/// (null: not recorded), used only for aggregate reports. PUT replaces them; an unknown value is a 400 naming the field.
/// Mapped in the CTI group: caseload check and audit entry by <c>CtiAccessFilter</c>.
/// </summary>
public static class CourseDescriptorsEndpoints
{
    public static RouteGroupBuilder MapCourseDescriptors(this RouteGroupBuilder group)
    {
        group.MapGet("/courses/{courseId:guid}/descriptors", Get).WithName("GetCourseDescriptors")
            .WithSummary("Target-group descriptors of the course's citizen (for aggregate reports only).");
        group.MapPut("/courses/{courseId:guid}/descriptors", Put).WithName("ReplaceCourseDescriptors")
            .Accepts<TargetGroupDescriptors>("application/json")
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<Results<Ok<TargetGroupDescriptors>, NotFound>> Get(Guid courseId, TargetGroupService service, CancellationToken ct) =>
        await service.GetAsync(courseId, ct) is { } d ? TypedResults.Ok(d) : TypedResults.NotFound();

    private static async Task<Ok<TargetGroupDescriptors>> Put(Guid courseId, HttpRequest request, TargetGroupService service, CancellationToken ct)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true }, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new RequestValidationException([new("body", $"Malformed JSON: {e.Message}")]);
        }

        if (body is null) throw new RequestValidationException([new("body", "The body must be a JSON object.")]);
        var problems = new List<ValidationFailure>();
        var descriptors = Read(body, problems);
        if (problems.Count > 0) throw new RequestValidationException(problems);
        return TypedResults.Ok(await service.SaveAsync(courseId, descriptors, ct));
    }

    /// <summary>Reads the descriptors from JSON (or form values turned into JSON); each unknown value is a named problem.</summary>
    public static TargetGroupDescriptors Read(JsonObject body, List<ValidationFailure> problems) => new(
        Value<AgeBand>(body, "ageBand", problems), Value<Gender>(body, "gender", problems),
        Value<ProstitutionForm>(body, "prostitutionForm", problems), Value<MainIncome>(body, "mainIncome", problems),
        Value<YesNo>(body, "debt", problems), Value<YesNo>(body, "mentalHealth", problems),
        Value<YesNo>(body, "substanceUse", problems), Value<YesNo>(body, "interpreterNeeded", problems));

    private static T? Value<T>(JsonObject body, string field, List<ValidationFailure> problems) where T : struct, Enum
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!int.TryParse(text, out _) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
        }

        problems.Add(new(field, $"Unknown value; one of: {string.Join(", ", Enum.GetNames<T>())}, or null."));
        return null;
    }
}
