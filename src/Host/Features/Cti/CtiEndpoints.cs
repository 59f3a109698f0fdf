using System.Security.Claims;
using System.Text.Json.Nodes;
using Exit.Activities.Cti;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Features.Cti.Descriptors;
using Exit.Host.Features.Cti.Network;
using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Cti;

/// <summary>
/// The CTI API under <c>/api</c>: citizens, courses (start, timeline, pause/resume, reassign, close a phase early,
/// record an evaluation through its task) and the outcome report. Handlers call <see cref="CtiCourseService"/> and
/// <see cref="CtiQueries"/> directly; <see cref="CtiProblemFilter"/> maps CTI rule breaches to problem+json with
/// the stable rule code. Program.cs: <c>builder.Services.AddCtiFeature(database)</c> and <c>app.MapCtiEndpoints()</c>.
/// </summary>
public static class CtiEndpoints
{
    public sealed record CreateCitizenRequest(string? Alias, string? Cpr);
    public sealed record CitizenCreated(Guid Id);
    public sealed record StartCourseRequest(Guid CitizenId, string? Worker, CourseGoal Goal = CourseGoal.Exit, string? DefinitionId = null, decimal? WorkerFullTimeEquivalent = null);
    public sealed record CourseStartedResponse(Guid CourseId, string InstanceId);
    public sealed record PauseRequest(PauseReason Reason = PauseReason.Other);
    public sealed record ReassignRequest(string? Worker, string? Reason);
    public sealed record EvaluationResponse(
        string Kind, int? Who5Score, string? Who5Band, bool? Who5InRiskZone, string? PaidForSexFrequency, bool? PaidForSexLastMonth, int? LifeSituationTotal);
    public sealed record HoldSessionRequest(string[]? TaskIds);
    public sealed record HoldSessionResponse(int Completed);

    public const string ProgressionRule =
        "Life-situation progression from the baseline to the final rating (ten areas, 1–10): mean change ≥ +2.0 steps is large, " +
        "≥ +1.0 is moderate, otherwise none or negative (computed on totals: ≥ 20 and ≥ 10 steps). Each figure counts only the " +
        "courses with that instrument answered at both baseline and final; the others are counted as not measured.";

    public static RouteGroupBuilder MapCtiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("CTI").AddEndpointFilter<CtiProblemFilter>().AddEndpointFilter<ProblemMappingFilter>();
        group.MapPost("/citizens", CreateCitizen).WithName("CreateCitizen");
        group.MapPost("/courses", StartCourse).WithName("StartCourse");
        group.MapGet("/courses/{courseId:guid}/timeline", Timeline).WithName("GetCourseTimeline");
        group.MapPost("/courses/{courseId:guid}/pause", Pause).WithName("PauseCourse");
        group.MapPost("/courses/{courseId:guid}/resume", Resume).WithName("ResumeCourse");
        group.MapPost("/courses/{courseId:guid}/reassign", Reassign).WithName("ReassignCourse");
        group.MapPost("/courses/{courseId:guid}/phases/{period}/close", ClosePhase).WithName("ClosePhaseEarly");
        group.MapPost("/courses/{courseId:guid}/evaluations/{taskId}", RecordEvaluation).WithName("RecordEvaluation");
        group.MapCtiReports(); // outcome and fidelity reports, aggregate export (Features/Reports)
        group.MapGet("/cti/supervision-sessions", SupervisionSessions).WithName("CtiSupervisionSessions");
        group.MapPost("/cti/supervision-sessions/held", HoldSupervisionSession).WithName("HoldSupervisionSession");
        group.MapCourseNetwork();
        group.MapCourseDescriptors();
        group.MapCaseworkEndpoints();
        return group;
    }

    private static async Task<Created<CitizenCreated>> CreateCitizen(CreateCitizenRequest body, CtiCourseService service, CancellationToken ct)
    {
        var id = await service.CreateCitizenAsync(body.Alias ?? "", body.Cpr, ct);
        return TypedResults.Created($"/api/citizens/{id}", new CitizenCreated(id));
    }

    private static async Task<Created<CourseStartedResponse>> StartCourse(StartCourseRequest body, CtiCourseService service, CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        if (string.IsNullOrWhiteSpace(body.Worker)) failures.Add(new("worker", "A responsible worker is required."));
        // Only the CTI course definition runs a course: another definition would not keep the method's rules.
        if (body.DefinitionId is not null && body.DefinitionId != CtiCourseService.DefaultDefinitionId)
            failures.Add(new("definitionId", $"Courses run the CTI course definition '{CtiCourseService.DefaultDefinitionId}'; leave it out."));
        if (body.WorkerFullTimeEquivalent is <= 0m or > 1m) failures.Add(new("workerFullTimeEquivalent", "More than 0 and at most 1."));
        if (failures.Count > 0) throw new RequestValidationException(failures);
        var started = await service.StartCourseAsync(body.CitizenId, body.Worker!, body.Goal, CtiCourseService.DefaultDefinitionId, body.WorkerFullTimeEquivalent ?? 1m, ct);
        return TypedResults.Created($"/api/courses/{started.CourseId}/timeline", new CourseStartedResponse(started.CourseId, started.InstanceId));
    }

    private static async Task<Results<Ok<CourseTimelineView>, NotFound>> Timeline(Guid courseId, CtiQueries queries, CancellationToken ct) =>
        await queries.TimelineAsync(courseId, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<NoContent> Pause(Guid courseId, PauseRequest? body, CtiCourseService service, CancellationToken ct)
    {
        await service.PauseAsync(courseId, body?.Reason ?? PauseReason.Other, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Resume(Guid courseId, CtiCourseService service, CancellationToken ct)
    {
        await service.ResumeAsync(courseId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Reassign(Guid courseId, ReassignRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Worker))
            throw new RequestValidationException([new("worker", "The new worker is required.")]);
        await service.ReassignAsync(courseId, body.Worker, body.Reason, user.Identity?.Name, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ClosePhase(Guid courseId, string period, CtiCourseService service, CancellationToken ct)
    {
        if (!Enum.TryParse<CoursePeriod>(period, ignoreCase: true, out var p) || !Enum.IsDefined(p))
            throw new RequestValidationException([new("period", $"One of {string.Join(", ", Enum.GetNames<CoursePeriod>())}.")]);
        await service.ClosePhaseAsync(courseId, p, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<EvaluationResponse>> RecordEvaluation(
        Guid courseId, string taskId, [FromBody] JsonObject answers, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        var e = await service.RecordEvaluationAsync(courseId, taskId, answers, user.Identity?.Name, ct);
        return TypedResults.Ok(new EvaluationResponse(
            e.Kind.ToString(), e.Who5?.Score, e.Who5?.Band.ToString(), e.Who5?.IsInRiskZone,
            e.PaidForSex?.Frequency.ToString(), e.PaidForSex?.Paid, e.LifeSituation?.Total));
    }

    private static async Task<Ok<IReadOnlyList<SupervisionSession>>> SupervisionSessions(
        CtiQueries queries, TimeProvider clock, CancellationToken ct, [FromQuery] DateTimeOffset? from = null, [FromQuery] DateTimeOffset? to = null)
    {
        var start = from ?? clock.GetUtcNow().AddDays(-31);
        return TypedResults.Ok(await queries.SupervisionSessionsAsync(start, to ?? start.AddDays(62), ct));
    }

    private static async Task<Ok<HoldSessionResponse>> HoldSupervisionSession(HoldSessionRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        if (body.TaskIds is not { Length: > 0 })
            throw new RequestValidationException([new("taskIds", "At least one supervision task.")]);
        return TypedResults.Ok(new HoldSessionResponse(await service.HoldSupervisionSessionAsync(body.TaskIds, user.Identity?.Name, ct)));
    }

    /// <summary>Registers the CTI module on the application's database (after AddHumanTasks).</summary>
    public static IServiceCollection AddCtiFeature(this IServiceCollection services, DatabaseOptions database, WorkingDayOptions? workingDays = null) =>
        services.AddSingleton(CtiConfidentialNotes.Kinds).AddScoped<ContactNotes>()
            .AddSingleton(new DanishWorkingDays(workingDays)) // before AddCti, which only adds the default when none is registered
            .AddCti(o =>
            {
                o.Provider = database.Provider;
                o.ConnectionString = database.ConnectionString;
            });
}

/// <summary>
/// CTI exceptions as problem+json: answers that break an instrument's rules are 400 (errors keyed by rule code),
/// course rules (phases in order, paused, ended, caseload) 409 with <c>rule</c>, unknown course/citizen/task 404,
/// a workflow that cannot take the command 409.
/// </summary>
public sealed class CtiProblemFilter : IEndpointFilter
{
    private static readonly string[] InputRules = ["cti.who5.", "cti.paid-for-sex.", "cti.life-situation.", "cti.evaluation.", "cti.citizen."];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (CtiValidationException e)
        {
            return TypedResults.ValidationProblem(
                e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "The request is invalid.");
        }
        catch (CtiRuleViolation e) when (InputRules.Any(r => e.Rule.StartsWith(r, StringComparison.Ordinal)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Rule] = [e.Message] },
                title: "The request is invalid.", extensions: new Dictionary<string, object?> { ["rule"] = e.Rule });
        }
        catch (CtiRuleViolation e)
        {
            return TypedResults.Problem(title: "CTI rule", detail: e.Message, statusCode: StatusCodes.Status409Conflict,
                type: "https://exit.example/problems/" + e.Rule, extensions: new Dictionary<string, object?> { ["rule"] = e.Rule });
        }
        catch (CtiNotFoundException e)
        {
            return TypedResults.Problem(title: "Not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exit.Workflows.Execution.WorkflowDefinitionNotFoundException e)
        {
            return TypedResults.Problem(title: "No published course definition", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (CtiNotConfiguredException e)
        {
            return TypedResults.Problem(title: "Not configured", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (CtiWorkflowStateException e)
        {
            return TypedResults.Problem(title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(title: "The request is invalid.", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
