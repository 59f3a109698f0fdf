using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Elsa.Shared;

/// <summary>One reason a request was refused, as listed in a 400 problem's <c>problems</c> extension.</summary>
public sealed record ProblemItem(string? ActivityId, string? InputName, string Code, string Message);

/// <summary>
/// Builds the 400 <c>application/problem+json</c> answers Studio turns into snackbar messages: Studio reads
/// <c>errors</c> (any nesting of strings) first, then <c>detail</c>. Each problem is listed under a key naming
/// the activity and input it is about, and again in a structured <c>problems</c> array for other clients.
/// </summary>
public static class ElsaProblems
{
    public static ValidationProblem BadRequest(string title, string detail, IReadOnlyList<ProblemItem> problems)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in problems.GroupBy(KeyFor))
            errors[group.Key] = group.Select(p => p.Message).ToArray();
        if (errors.Count == 0) errors["definition"] = [detail];
        var extensions = new Dictionary<string, object?> { ["problems"] = problems };
        return TypedResults.ValidationProblem(errors, detail: detail, title: title, extensions: extensions);
    }

    public static ValidationProblem BadRequest(string title, string detail, string code, string key = "request") =>
        BadRequest(title, detail, [new ProblemItem(null, key == "request" ? null : key, code, detail)]);

    private static string KeyFor(ProblemItem p) => (p.ActivityId, p.InputName) switch
    {
        (null, null) => "definition",
        (null, var input) => input!,
        (var activity, null) => $"activities.{activity}",
        var (activity, input) => $"activities.{activity}.{input}",
    };
}
