using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// Writes a denied audit entry when a policy refuses a request to an endpoint marked with
/// <see cref="AuditedResourceAttribute"/> (citizen data), then answers as usual (401/403 or a redirect).
/// ASP.NET Core holds this handler as a singleton; the audit log (and its database context) is scoped, so it is
/// taken from the request's own services each time, never captured.
/// </summary>
public sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded && context.GetEndpoint()?.Metadata.GetMetadata<AuditedResourceAttribute>() is { } resource)
        {
            var action = AuditActions.Of(context.Request.Method);
            var id = context.Request.RouteValues.TryGetValue("id", out var v) ? v?.ToString()
                : context.Request.RouteValues.TryGetValue("courseId", out var c) ? c?.ToString() : null;
            var audit = context.RequestServices.GetRequiredService<IAuditLog>();
            await audit.WriteAsync(new AuditRecord(action, resource.ResourceType, id, Outcome: AuditOutcome.Denied), context.User, CancellationToken.None);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
