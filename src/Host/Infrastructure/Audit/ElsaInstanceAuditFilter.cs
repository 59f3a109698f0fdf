using Exit.Host.Features.Elsa;
using Exit.Host.Features.Elsa.ActivityExecutions;
using Exit.Host.Features.Elsa.Instances;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// Audits the Elsa API's workflow-instance endpoints. A CTI course runs as an instance whose correlation id is the
/// course id and whose variables, journal and activity executions hold the course's state, so opening one in
/// Studio is reading citizen data: a Read (or Change, for cancel) entry per instance, with the citizen resolved
/// through <see cref="ICourseDirectory"/>; a list across instances is a Search. An unknown instance was not read
/// and is not logged (a policy refusal is: see <see cref="AuditedResourceAttribute"/>).
/// </summary>
public sealed class ElsaInstanceAuditFilter(IWorkflowInstanceStore instances, ICourseDirectory courses, IAuditLog audit) : IEndpointFilter
{
    public const string ResourceType = "workflow-instance";
    private const string Purpose = "workflow administration";

    private sealed record Access(AuditAction Action, string? InstanceId, string? CorrelationId = null);

    /// <summary>Route patterns relative to <see cref="ElsaApi.BasePath"/>, and how each names the instance it touches.</summary>
    private static readonly Dictionary<string, Func<EndpointFilterInvocationContext, Access>> Endpoints = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/workflow-instances/{id}"] = c => Read(Route(c)),
        ["/workflow-instances/{id}/journal"] = c => Read(Route(c)),
        ["/workflow-instances/{id}/variables"] = c => Read(Route(c)),
        ["/workflow-instances/{id}/execution-state"] = c => Read(Route(c)),
        ["/cancel/workflow-instances/{id}"] = c => new Access(AuditAction.Change, Route(c)),
        ["/workflow-instances"] = c => new Access(AuditAction.Search, null, c.Arguments.OfType<InstanceEndpoints.ListInstancesBody>().FirstOrDefault()?.CorrelationId),
        ["/activity-executions/list"] = c => Read(Query(c, "workflowInstanceId")),
        ["/activity-execution-summaries/list"] = c => Read(Query(c, "workflowInstanceId")),
        ["/activity-executions/by-id"] = c => Read(Query(c, "id") is { } id ? Features.Elsa.ActivityExecutions.JournalProjection.ParseRecordId(id)?.InstanceId : null),
        ["/activity-executions/report"] = c => Read(c.Arguments.OfType<ActivityExecutionReport.Body>().FirstOrDefault()?.WorkflowInstanceId),
    };

    /// <summary>Whether the pattern (relative to the Elsa base path) is one this filter audits.</summary>
    public static bool Audits(string relativePattern) => Endpoints.ContainsKey(relativePattern);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        if (!Endpoints.TryGetValue(Relative(pattern), out var classify)) return await next(context);

        var access = classify(context);
        var result = await next(context);
        if (IsNotFound(result)) return result;

        var correlation = access.CorrelationId;
        if (access.InstanceId is { } id) correlation = (await instances.FindAsync(id, http.RequestAborted))?.CorrelationId;
        var citizen = string.IsNullOrEmpty(correlation) ? null : await courses.CitizenOfCorrelationAsync(correlation, http.RequestAborted);
        await audit.WriteAsync(new AuditRecord(access.Action, ResourceType, access.InstanceId, citizen, Purpose), ct: CancellationToken.None);
        return result;
    }

    public static string Relative(string pattern)
    {
        var relative = pattern.StartsWith(ElsaApi.BasePath, StringComparison.OrdinalIgnoreCase) ? pattern[ElsaApi.BasePath.Length..] : pattern;
        relative = relative.TrimEnd('/');
        return relative.Length == 0 ? "/" : relative;
    }

    /// <summary>One instance named: a Read of it; none: a Search across instances.</summary>
    private static Access Read(string? instanceId) =>
        string.IsNullOrEmpty(instanceId) ? new Access(AuditAction.Search, null) : new Access(AuditAction.Read, instanceId);

    private static string? Route(EndpointFilterInvocationContext c) => c.HttpContext.Request.RouteValues["id"]?.ToString();

    private static string? Query(EndpointFilterInvocationContext c, string name) =>
        c.HttpContext.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static bool IsNotFound(object? result)
    {
        if (result is INestedHttpResult nested) result = nested.Result;
        return result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound };
    }
}
