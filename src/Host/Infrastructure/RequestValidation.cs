using MediatR;

namespace Exit.Host.Infrastructure;

/// <summary>One problem with a request: the field as the client named it (camelCase) and what is wrong.</summary>
public sealed record ValidationFailure(string Field, string Message);

/// <summary>Thrown when a request's shape is wrong; answered 400 with every failure listed.</summary>
public sealed class RequestValidationException(IReadOnlyList<ValidationFailure> failures)
    : Exception("The request is invalid: " + string.Join("; ", failures.Select(f => $"{f.Field}: {f.Message}")))
{
    public IReadOnlyList<ValidationFailure> Failures { get; } = failures;
}

/// <summary>Shape checks for one request type, nested in its slice; found by assembly scanning.</summary>
public interface IRequestValidator<in TRequest>
{
    IEnumerable<ValidationFailure> Validate(TRequest request);
}

/// <summary>Runs every validator of the request before its handler; throws with all failures at once.</summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IRequestValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = validators.SelectMany(v => v.Validate(request)).ToList();
        return failures.Count > 0 ? throw new RequestValidationException(failures) : next();
    }
}
