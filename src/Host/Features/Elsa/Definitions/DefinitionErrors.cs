using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>The definition services' refusals as 400 problems Studio can show (one <c>errors</c> entry per problem).</summary>
public static class DefinitionErrors
{
    public static ValidationProblem Validation(DefinitionValidationException ex, string title = "The workflow definition has problems") =>
        ElsaProblems.BadRequest(title, ex.Problems.Count == 1
                ? $"{Who(ex.DefinitionId)} has 1 problem: {ex.Problems[0].Message}"
                : $"{Who(ex.DefinitionId)} has {ex.Problems.Count} problems; nothing was published.",
            ex.Problems.Select(ToItem).ToList());

    public static ValidationProblem Format(DefinitionFormatException ex, string? source = null)
    {
        var item = new ProblemItem(null, source ?? "json", "InvalidJson", source is null ? ex.Message : $"{source}: {ex.Message}");
        var problem = ElsaProblems.BadRequest("The workflow definition could not be read", item.Message, [item]);
        if (problem.ProblemDetails.Extensions is { } extensions)
        {
            extensions["lineNumber"] = ex.LineNumber;
            extensions["position"] = ex.Position;
            extensions["jsonPath"] = ex.JsonPath;
        }
        return problem;
    }

    public static ValidationProblem SaveRefused(DefinitionSaveRefusedException ex)
    {
        var problem = ElsaProblems.BadRequest("Save refused to protect stored activities", ex.Message,
            [new ProblemItem(null, null, "SaveRefused", ex.Message)]);
        problem.ProblemDetails.Extensions["lostActivityIds"] = ex.LostActivityIds;
        return problem;
    }

    public static ProblemItem ToItem(DefinitionProblem p) => new(p.ActivityId, p.InputName, p.Code, p.Message);

    private static string Who(string? definitionId) => definitionId is null ? "The workflow definition" : $"Workflow definition '{definitionId}'";
}
