using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Diagnostics;

namespace Exit.Host.Infrastructure;

/// <summary>
/// The one place that turns domain exceptions into problem+json: validation → 400 with an <c>errors</c> entry per
/// field, not found → 404, conflicts (already completed, lost race) → 409. Anything else is not handled here.
/// </summary>
public static class ProblemMapping
{
    public static IResult? ToResult(Exception exception) => exception switch
    {
        RequestValidationException e => Validation(e.Failures.Select(f => (f.Field, f.Message))),
        TaskValidationException e => Validation(e.Problems.Select(p => (p.Field, p.Message))),
        TaskNotFoundException e => TypedResults.Problem(
            title: "Not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound),
        // A resource check refused the caller: answered as if the resource did not exist (the audit log has the refusal).
        Audit.AccessDeniedException e => TypedResults.Problem(
            title: "Not found", detail: $"No {e.ResourceType} {e.ResourceId}.", statusCode: StatusCodes.Status404NotFound),
        TaskConflictException e => TypedResults.Problem(
            title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict),
        ConcurrencyConflictException e => TypedResults.Problem(
            title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict),
        _ => null,
    };

    private static IResult Validation(IEnumerable<(string Field, string Message)> failures) =>
        TypedResults.ValidationProblem(
            failures.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
            title: "The request is invalid.");

    /// <summary>Registers problem details and <see cref="ProblemExceptionHandler"/> for app-wide use with <c>app.UseExceptionHandler()</c>.</summary>
    public static IServiceCollection AddExitProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}

/// <summary>Route-group filter applying <see cref="ProblemMapping"/>, so a slice answers correctly without global middleware.</summary>
public sealed class ProblemMappingFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (ProblemMapping.ToResult(e) is { } result)
        {
            return result;
        }
    }
}

/// <summary>The same mapping for exceptions thrown outside endpoint filters (middleware, other endpoints).</summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ProblemMapping.ToResult(exception) is not { } result) return false;
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
