using Exit.Activities.SupportPersons.Domain;

namespace Exit.Host.Features.SupportPersons;

/// <summary>The scheme's exceptions as problem+json: 400 naming each field (nothing stored), 404 for an unknown SKP or session.</summary>
public sealed class SupportPersonProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (SupportPersonValidationException e)
        {
            return TypedResults.ValidationProblem(
                e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "The request is invalid.");
        }
        catch (SupportPersonNotFoundException e)
        {
            return TypedResults.Problem(title: "Not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }
}
