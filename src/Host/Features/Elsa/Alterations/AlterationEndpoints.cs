using System.Security.Claims;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.Alterations;

/// <summary>
/// Elsa's alterations API as Studio 3.8.2's client calls it: <c>POST /alterations/dry-run</c> (the filter; Exit also
/// takes <c>alterations</c> and then says per instance whether they would apply and what stands in the way) and
/// <c>POST /alterations/run</c> (<c>{alterations, workflowInstanceIds}</c>, each instance all or nothing). POSTs need the
/// Elsa write policy (coordinators, admins). Answers name activities, variables and versions, never values: no citizen
/// data leaves through them. Every applied alteration is audited with its instance and citizen.
/// </summary>
public static class AlterationEndpoints
{
    /// <summary>Most instances one synchronous run or dry run takes; larger sets go through a submitted plan.</summary>
    public const int MaxInstancesPerRequest = 1000;

    public sealed record ProblemDto(string Code, string Message, string? ActivityId, string? VariableId);

    public sealed record ResultDto(string WorkflowInstanceId, bool IsSuccessful, int? FromVersion, int? ToVersion,
        IReadOnlyList<ProblemDto> Problems, IReadOnlyList<string> Log);

    public sealed record DryRunResponse(IReadOnlyList<string> WorkflowInstanceIds, IReadOnlyList<ResultDto>? Results);

    public sealed record RunResponse(IReadOnlyList<ResultDto> Results);

    public static RouteGroupBuilder MapAlterationEndpoints(this RouteGroupBuilder elsa)
    {
        var group = elsa.MapGroup("/alterations").WithTags("Elsa alterations");

        group.MapPost("/dry-run", async Task<Results<Ok<DryRunResponse>, ValidationProblem>> (
            [FromBody] JsonObject? body, [FromServices] InstanceSelector selector, [FromServices] WorkflowAlterationRunner runner,
            [FromServices] IAuditLog audit, CancellationToken ct) =>
        {
            body ??= new JsonObject();
            var problems = new List<ProblemItem>();
            var selection = AlterationRequests.ReadSelection(body["filter"] as JsonObject ?? body, body["filter"] is JsonObject ? "filter" : "$", problems);
            var alterations = body["alterations"] is null ? null : AlterationRequests.ReadAlterations(body["alterations"], "alterations", problems);
            if (problems.Count > 0) return ElsaProblems.BadRequest("Invalid dry run", "The dry run request has errors.", problems);
            var ids = await selector.SelectAsync(selection, ct);
            if (alterations is not null && ids.Count > MaxInstancesPerRequest)
                return ElsaProblems.BadRequest("Too many instances", $"A dry run with alterations takes at most {MaxInstancesPerRequest} instances.", "TooManyInstances", "filter");
            await audit.WriteAsync(new AuditRecord(AuditAction.Search, ElsaInstanceAuditFilter.ResourceType,
                Purpose: $"workflow administration: alteration dry run ({ids.Count} instances)"), ct: CancellationToken.None);
            if (alterations is null) return TypedResults.Ok(new DryRunResponse(ids, null));
            var results = new List<ResultDto>();
            foreach (var id in ids) results.Add(ToDto(await runner.DryRunAsync(id, alterations, ct)));
            return TypedResults.Ok(new DryRunResponse(ids, results));
        }).WithName("DryRunAlterations");

        group.MapPost("/run", async Task<Results<Ok<RunResponse>, ValidationProblem>> (
            [FromBody] JsonObject? body, ClaimsPrincipal user, [FromServices] InstanceSelector selector, [FromServices] WorkflowAlterationRunner runner,
            [FromServices] IWorkflowInstanceStore instances, [FromServices] ICourseDirectory courses, [FromServices] IAuditLog audit, CancellationToken ct) =>
        {
            body ??= new JsonObject();
            var problems = new List<ProblemItem>();
            var alterations = AlterationRequests.ReadAlterations(body["alterations"], "alterations", problems);
            var selection = body["filter"] is JsonObject
                ? AlterationRequests.ReadSelection(body["filter"], "filter", problems)
                : AlterationRequests.ReadSelection(new JsonObject { ["workflowInstanceIds"] = body["workflowInstanceIds"]?.DeepClone() }, "$", problems);
            if (selection.IsEmpty && problems.Count == 0)
                problems.Add(new ProblemItem(null, "workflowInstanceIds", "Required", "Name the instances to alter (workflowInstanceIds or filter)."));
            if (problems.Count > 0) return ElsaProblems.BadRequest("Invalid alteration", "The alteration request has errors.", problems);
            var ids = await selector.SelectAsync(selection, ct);
            if (ids.Count > MaxInstancesPerRequest)
                return ElsaProblems.BadRequest("Too many instances", $"A run takes at most {MaxInstancesPerRequest} instances.", "TooManyInstances", "filter");
            var actor = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
            var results = new List<ResultDto>();
            foreach (var id in ids)
            {
                var outcome = await runner.ApplyAsync(id, alterations, actor, ct);
                results.Add(ToDto(outcome));
                if (!outcome.Succeeded) continue;
                var correlation = (await instances.FindAsync(id, ct))?.CorrelationId;
                var citizen = string.IsNullOrEmpty(correlation) ? null : await courses.CitizenOfCorrelationAsync(correlation, ct);
                await audit.WriteAsync(new AuditRecord(AuditAction.Change, ElsaInstanceAuditFilter.ResourceType, id, citizen,
                    $"workflow administration: alteration {string.Join(", ", alterations.Select(a => a.Type))}"), ct: CancellationToken.None);
            }
            return TypedResults.Ok(new RunResponse(results));
        }).WithName("RunAlterations");

        return elsa;
    }

    public static ResultDto ToDto(AlterationOutcome o) => new(o.InstanceId, o.Succeeded, o.FromVersion, o.ToVersion,
        o.Problems.Select(p => new ProblemDto(p.Code, p.Message, p.ActivityId, p.VariableId)).ToList(), o.Log);
}
