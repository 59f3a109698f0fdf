using Microsoft.AspNetCore.Routing;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// Every refusal of a signed-in caller is in the caller's own audit log: a 403 (the role may not) or a 404 of a matched
/// endpoint (not found in the caller's municipality, or not the caller's to see), unless the request already
/// wrote its own denied entry. This is how a municipality sees its staff probing for another municipality's ids, without
/// the other municipality's log ever recording anything of them. Ids and the route pattern only.
/// </summary>
public static class RefusalAudit
{
    /// <summary>Set on the request when a denied entry was written for it (by <see cref="AuditLog"/>).</summary>
    public const string WrittenKey = "exit:refusal-audited";

    public const string ResourceType = "request";

    /// <summary>Runs after the municipality scope is entered, around authorization and the endpoint.</summary>
    public static IApplicationBuilder UseRefusalAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)) return;
        if (context.User.Identity?.IsAuthenticated != true || context.Items.ContainsKey(WrittenKey)) return;
        if (context.GetEndpoint() is not RouteEndpoint endpoint) return; // no route matched: nobody's resource

        // The id the caller asked for: the route's first parameter, else an "…id" query parameter (e.g. ?id=, ?taskId=).
        var parameter = endpoint.RoutePattern.Parameters.FirstOrDefault(p => p.Name is not ("page" or "handler"));
        var id = parameter is null ? null : context.Request.RouteValues[parameter.Name]?.ToString();
        id ??= context.Request.Query.FirstOrDefault(q => q.Key.EndsWith("id", StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault();

        var action = AuditActions.Of(context.Request.Method);
        var audit = context.RequestServices.GetRequiredService<IAuditLog>();
        await audit.WriteAsync(new AuditRecord(action, ResourceType, id, Purpose: $"{status} {endpoint.RoutePattern.RawText}",
            Outcome: AuditOutcome.Denied), context.User, CancellationToken.None);
    });
}
