using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.Shared;

/// <summary>
/// Elsa's endpoints declare typed refusals such as <c>NotFound&lt;ProblemDetails&gt;</c> (Studio reads their
/// <c>detail</c>); written as they are, those go out as <c>application/json</c>. This filter sends every refusal
/// that carries a <see cref="ProblemDetails"/> as <c>application/problem+json</c>, like the rest of the API.
/// </summary>
public sealed class ProblemContentTypeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IValueHttpResult { Value: ProblemDetails problem } and IStatusCodeHttpResult { StatusCode: >= 400 and var status }
            and not IContentTypeHttpResult { ContentType: "application/problem+json" })
        {
            problem.Status ??= status;
            return TypedResults.Problem(problem);
        }

        return result;
    }
}
