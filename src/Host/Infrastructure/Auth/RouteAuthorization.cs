using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>The policies of each mapped area, applied to its route group in Program.cs.</summary>
public static class RouteAuthorization
{
    /// <summary>
    /// Elsa API POSTs that only read (Studio sends queries as POST bodies): they need
    /// <see cref="ExitPolicies.ElsaRead"/> like the GETs. Patterns are relative to <c>/elsa/api</c>.
    /// </summary>
    public static readonly IReadOnlySet<string> ElsaReadOnlyPosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/workflow-instances",
        "/workflow-instances/{id}/journal",
        "/activity-executions/report",
        "/descriptors/activities/{typeName}/options/{propertyName}",
        "/scripting/javascript/type-definitions/{definitionId}",
    };

    /// <summary>
    /// Elsa API routes that read, start, resume or change workflow instances (relative to <c>/elsa/api</c>): they also
    /// need <see cref="ExitPolicies.ElsaInstances"/>, which the national role (templates only) does not have.
    /// </summary>
    public static bool TouchesInstances(string relative) =>
        relative.StartsWith("/workflow-instances", StringComparison.OrdinalIgnoreCase)
        || relative.StartsWith("/cancel/", StringComparison.OrdinalIgnoreCase)
        || relative.StartsWith("/activity-execution", StringComparison.OrdinalIgnoreCase)
        || relative.StartsWith("/alterations", StringComparison.OrdinalIgnoreCase)
        || relative.StartsWith("/events/", StringComparison.OrdinalIgnoreCase)
        || relative.EndsWith("/execute", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Elsa API: every endpoint needs <see cref="ExitPolicies.ElsaRead"/>; anything that is not a GET (or a
    /// read-only POST) also needs <see cref="ExitPolicies.ElsaWrite"/>. Instance reads are audited, refusals too
    /// (<see cref="ElsaInstanceAuditFilter"/>: an instance's variables and journal can hold citizen data).
    /// </summary>
    public static RouteGroupBuilder RequireElsaPolicies(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ExitPolicies.ElsaRead);
        group.AddEndpointFilter<ElsaInstanceAuditFilter>();
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route) return;
            var methods = route.Metadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var relative = (route.RoutePattern.RawText ?? "").Replace("/elsa/api", "", StringComparison.OrdinalIgnoreCase).TrimEnd('/');
            if (relative.Length == 0) relative = "/";
            var readOnly = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD" || (m == "POST" && ElsaReadOnlyPosts.Contains(relative)));
            if (!readOnly) route.Metadata.Add(new AuthorizeAttribute(ExitPolicies.ElsaWrite));
            if (TouchesInstances(relative)) route.Metadata.Add(new AuthorizeAttribute(ExitPolicies.ElsaInstances));
            if (ElsaInstanceAuditFilter.Audits(relative)) route.Metadata.Add(new AuditedResourceAttribute(ElsaInstanceAuditFilter.ResourceType));
        });
        return group;
    }

    /// <summary>
    /// Task API: <see cref="ExitPolicies.Tasks"/> for all, <see cref="ExitPolicies.Reassign"/> to assign, and the
    /// per-task checks of <see cref="TaskAccessFilter"/> (which also writes the audit entries).
    /// </summary>
    public static RouteGroupBuilder RequireTaskPolicies(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ExitPolicies.Tasks);
        group.AddEndpointFilter<TaskAccessFilter>();
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IEndpointNameMetadata>().Any(n => n.EndpointName == TaskAccessFilter.AssignEndpoint))
                endpoint.Metadata.Add(new AuthorizeAttribute(ExitPolicies.Reassign));
            endpoint.Metadata.Add(new AuditedResourceAttribute("task"));
        });
        return group;
    }
}

/// <summary>
/// Marks an endpoint as touching citizen data: a refused request to it (401/403 from a policy) is written to the
/// audit log as denied.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AuditedResourceAttribute(string resourceType) : Attribute
{
    public string ResourceType { get; } = resourceType;
}
