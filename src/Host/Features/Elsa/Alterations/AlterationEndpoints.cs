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
/// takes <c>alterations</c> and then says per instance whether they would apply and what stands in the way),
/// <c>POST /alterations/run</c> (<c>{alterations, workflowInstanceIds}</c>, each instance all or nothing, at once),
/// <c>POST /alterations/submit</c> (<c>{alterations, filter}</c>: a stored plan run in the background, survives a restart)
/// and <c>GET /alterations/{id}</c> (the plan and its per-instance jobs). POSTs need the Elsa write policy (coordinators,
/// admins), the GET the read policy (managers too). Answers name activities, variables and versions; values given for
/// variables are shown through the instance redaction, so no citizen data leaves through them. Every applied alteration
/// is audited with its instance, citizen and versions, in the instance's own commit (plans: the submission, and each altered
/// instance, see <see cref="AlterationJobAudit"/>).
/// </summary>
public static class AlterationEndpoints
{
    /// <summary>Most instances one synchronous run or dry run with alterations takes; larger sets go through a submitted plan.</summary>
    public const int MaxInstancesPerRequest = 1000;

    public sealed record ProblemDto(string Code, string Message, string? ActivityId, string? VariableId);

    public sealed record ResultDto(string WorkflowInstanceId, bool IsSuccessful, int? FromVersion, int? ToVersion,
        IReadOnlyList<ProblemDto> Problems, IReadOnlyList<string> Log);

    public sealed record DryRunResponse(IReadOnlyList<string> WorkflowInstanceIds, IReadOnlyList<ResultDto>? Results);

    public sealed record RunResponse(IReadOnlyList<ResultDto> Results);

    public sealed record SubmitResponse(string PlanId);

    public sealed record LogEntryDto(string Message, string LogLevel, DateTimeOffset Timestamp);

    public sealed record PlanDto(string Id, JsonArray Alterations, JsonObject WorkflowInstanceFilter, string Status,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

    public sealed record JobDto(string Id, string PlanId, string WorkflowInstanceId, string Status, IReadOnlyList<LogEntryDto> Log,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

    public sealed record GetPlanResponse(PlanDto Plan, IReadOnlyList<JobDto> Jobs);

    public static RouteGroupBuilder MapAlterationEndpoints(this RouteGroupBuilder elsa)
    {
        var group = elsa.MapGroup("/alterations").WithTags("Elsa alterations");

        group.MapPost("/dry-run", async Task<Results<Ok<DryRunResponse>, ValidationProblem>> (
            [FromBody] JsonObject? body, [FromServices] AlterationInstanceSelector selector, [FromServices] WorkflowAlterationRunner runner,
            [FromServices] IAuditLog audit, CancellationToken ct) =>
        {
            body ??= new JsonObject();
            var problems = new List<AlterationInputProblem>();
            var filter = body["filter"] is JsonObject f ? AlterationJson.ReadSelection(f, "filter", problems) : AlterationJson.ReadSelection(body, "$", problems);
            var alterations = body["alterations"] is null ? null : AlterationJson.ReadAlterations(body["alterations"], "alterations", problems);
            if (problems.Count > 0) return Invalid("Invalid dry run", problems);
            var ids = await selector.SelectAsync(filter, ct);
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
            [FromBody] JsonObject? body, ClaimsPrincipal user, [FromServices] AlterationInstanceSelector selector, [FromServices] AuditedAlteration alteration,
            [FromServices] IWorkflowInstanceStore instances, [FromServices] ICourseDirectory courses, CancellationToken ct) =>
        {
            body ??= new JsonObject();
            var problems = new List<AlterationInputProblem>();
            var alterations = AlterationJson.ReadAlterations(body["alterations"], "alterations", problems);
            var filter = body["filter"] is JsonObject f
                ? AlterationJson.ReadSelection(f, "filter", problems)
                : AlterationJson.ReadSelection(new JsonObject { ["workflowInstanceIds"] = body["workflowInstanceIds"]?.DeepClone() }, "$", problems);
            if (filter.IsEmpty && problems.Count == 0)
                problems.Add(new AlterationInputProblem("workflowInstanceIds", "Required", "Name the instances to alter (workflowInstanceIds or filter)."));
            if (problems.Count > 0) return Invalid("Invalid alteration", problems);
            var ids = await selector.SelectAsync(filter, ct);
            if (ids.Count > MaxInstancesPerRequest)
                return ElsaProblems.BadRequest("Too many instances", $"A run takes at most {MaxInstancesPerRequest} instances; submit a plan instead.", "TooManyInstances", "filter");
            var results = new List<ResultDto>();
            foreach (var id in ids)
            {
                var correlation = (await instances.FindAsync(id, ct))?.CorrelationId;
                var citizen = string.IsNullOrEmpty(correlation) ? null : await courses.CitizenOfCorrelationAsync(correlation, ct);
                results.Add(ToDto(await alteration.ApplyAsync(id, citizen, alterations, user, ct)));
            }
            return TypedResults.Ok(new RunResponse(results));
        }).WithName("RunAlterations");

        group.MapPost("/submit", async Task<Results<Ok<SubmitResponse>, ValidationProblem>> (
            [FromBody] JsonObject? body, ClaimsPrincipal user, [FromServices] AlterationPlanStore plans, [FromServices] AlterationPlanWorker worker,
            [FromServices] TimeProvider clock, [FromServices] IAuditLog audit, CancellationToken ct) =>
        {
            body ??= new JsonObject();
            var problems = new List<AlterationInputProblem>();
            var alterations = AlterationJson.ReadAlterations(body["alterations"], "alterations", problems);
            var filter = AlterationJson.ReadSelection(body["filter"], "filter", problems);
            if (filter.IsEmpty && !filter.EmptyFilterSelectsAll && problems.Count == 0)
                problems.Add(new AlterationInputProblem("filter", "Required", "The filter selects no instances (give criteria, or emptyFilterSelectsAll)."));
            if (problems.Count > 0) return Invalid("Invalid alteration plan", problems);
            var plan = await plans.SubmitAsync(alterations, filter, user.FindFirstValue(ClaimTypes.NameIdentifier), clock.GetUtcNow(), ct);
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "alteration-plan", plan.Id,
                Purpose: $"workflow administration: alteration plan {string.Join(", ", alterations.Select(a => a.Type))}"), ct: CancellationToken.None);
            worker.Wake();
            return TypedResults.Ok(new SubmitResponse(plan.Id));
        }).WithName("SubmitAlterationPlan");

        group.MapGet("/{id}", async Task<Results<Ok<GetPlanResponse>, NotFound>> (string id, [FromServices] AlterationPlanStore plans, CancellationToken ct) =>
        {
            if (await plans.FindAsync(id, ct) is not var (plan, jobs)) return TypedResults.NotFound();
            return TypedResults.Ok(new GetPlanResponse(ToDto(plan), jobs.Select(ToDto).ToList()));
        }).WithName("GetAlterationPlan");

        return elsa;
    }

    private static ValidationProblem Invalid(string title, IReadOnlyList<AlterationInputProblem> problems) =>
        ElsaProblems.BadRequest(title, "The request has errors.", problems.Select(p => new ProblemItem(null, p.Path, p.Code, p.Message)).ToList());

    public static ResultDto ToDto(AlterationOutcome o) => new(o.InstanceId, o.Succeeded, o.FromVersion, o.ToVersion,
        o.Problems.Select(p => new ProblemDto(p.Code, p.Message, p.ActivityId, p.VariableId)).ToList(), o.Log);

    private static PlanDto ToDto(AlterationPlan p) => new(p.Id, Redacted(AlterationJson.WriteAlterations(p.Alterations)),
        AlterationJson.WriteSelection(p.Filter), p.Status.ToString(), p.CreatedAt, p.StartedAt, p.CompletedAt);

    private static JobDto ToDto(AlterationJob j) => new(j.Id, j.PlanId, j.WorkflowInstanceId, j.Status.ToString(),
        j.Log.Select(m => new LogEntryDto(m, j.Status == AlterationJobStatus.Failed ? "Warning" : "Information", j.CompletedAt ?? j.CreatedAt)).ToList(),
        j.CreatedAt, j.CreatedAt, j.CompletedAt);

    /// <summary>Values a coordinator gave for variables may be citizen data: shown as the instance API shows variables.</summary>
    private static JsonArray Redacted(JsonArray alterations)
    {
        foreach (var a in alterations.OfType<JsonObject>())
        {
            if (a.ContainsKey("value")) a["value"] = ElsaRedaction.Value(a["value"]?.DeepClone());
            if (a["variableValues"] is JsonObject values) a["variableValues"] = ElsaRedaction.Object(values);
        }
        return alterations;
    }
}
