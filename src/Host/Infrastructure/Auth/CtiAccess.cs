using System.Security.Claims;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// The CTI API's policies (per endpoint name) and per-course checks. Citizens and courses: workers and managers
/// (<see cref="ExitPolicies.Caseload"/>), a course only through <see cref="ICaseloadAccess"/> (workers their own
/// caseload; others 404); reassigning: managers; the outcome report: managers; supervision: supervisors.
/// </summary>
public static class CtiAuthorization
{
    private static readonly Dictionary<string, string> PolicyByEndpoint = new(StringComparer.Ordinal)
    {
        ["CreateCitizen"] = ExitPolicies.Caseload,
        ["StartCourse"] = ExitPolicies.Caseload,
        ["GetCourseTimeline"] = ExitPolicies.Caseload,
        ["PauseCourse"] = ExitPolicies.Caseload,
        ["ResumeCourse"] = ExitPolicies.Caseload,
        ["ClosePhaseEarly"] = ExitPolicies.Caseload,
        ["RecordEvaluation"] = ExitPolicies.Caseload,
        ["ReassignCourse"] = ExitPolicies.Reassign,
        ["GetCourseNetwork"] = ExitPolicies.Caseload,
        ["ReplaceCourseNetwork"] = ExitPolicies.Caseload,
        ["GetCourseDescriptors"] = ExitPolicies.Caseload,
        ["ReplaceCourseDescriptors"] = ExitPolicies.Caseload,
        ["CtiOutcomeReport"] = ExitPolicies.Reports,
        ["CtiFidelityReport"] = ExitPolicies.Reports,
        ["CtiReportExport"] = ExitPolicies.Reports,
        ["ListStaffing"] = ExitPolicies.Reports,
        ["RecordStaffing"] = ExitPolicies.Reports,
        ["CtiSupervisionSessions"] = ExitPolicies.Supervision,
        ["HoldSupervisionSession"] = ExitPolicies.Supervisor,
        ["ListContacts"] = ExitPolicies.Caseload,
        ["LogContact"] = ExitPolicies.Caseload,
        ["CorrectContact"] = ExitPolicies.Caseload,
        ["ChangeRhythm"] = ExitPolicies.Caseload,
        ["DecideClarification"] = ExitPolicies.Caseload,
        ["EndCourse"] = ExitPolicies.Caseload,
    };

    /// <summary>
    /// Each CTI endpoint gets its policy (an endpoint missing from the table gets <see cref="ExitPolicies.Admin"/>,
    /// so nothing new is open by accident), the audit marker, and <see cref="CtiAccessFilter"/>.
    /// </summary>
    public static RouteGroupBuilder RequireCtiPolicies(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<CtiAccessFilter>();
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
            endpoint.Metadata.Add(new AuthorizeAttribute(name is not null && PolicyByEndpoint.TryGetValue(name, out var policy) ? policy : ExitPolicies.Admin));
            endpoint.Metadata.Add(new AuditedResourceAttribute(name is "CreateCitizen" ? "citizen" : "course"));
        });
        return group;
    }
}

/// <summary>
/// Per-course access and audit entries for the CTI API. A course the caller may not access answers 404 and writes
/// a denied entry. A worker may start a course only for themselves, only for a citizen on no other worker's
/// caseload (else 404, as if the citizen did not exist), and never sets their own full-time equivalent (a manager
/// does). Evaluations are recorded by the course's responsible worker only (a manager who may read the course
/// still may not answer its evaluation: 403).
/// </summary>
public sealed class CtiAccessFilter(ICaseloadAccess caseload, ICourseDirectory courses, IAuditLog audit, Exit.Activities.Cti.Application.CtiQueries queries) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = http.User;
        var name = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var action = HttpMethods.IsGet(http.Request.Method) ? AuditAction.Read : AuditAction.Change;
        var ct = http.RequestAborted;

        if (http.Request.RouteValues["courseId"] is string courseId)
        {
            var course = await courses.FindCourseAsync(courseId, ct);
            var purpose = name switch
            {
                "ReassignCourse" => "management: reassign",
                "LogContact" or "CorrectContact" => "casework: contact log",
                "ChangeRhythm" => "casework: contact rhythm",
                "DecideClarification" => "casework: decision",
                "EndCourse" => "casework: end course",
                _ => "casework",
            };
            var allowed = name is "ReassignCourse" ? course is not null && user.IsInRole(ExitRoles.Manager) : await caseload.CanAccessCourseAsync(user, courseId, ct);
            if (!allowed)
            {
                await audit.WriteAsync(new AuditRecord(action, "course", courseId, course?.CitizenId, purpose, AuditOutcome.Denied), ct: CancellationToken.None);
                return TypedResults.Problem(title: "Not found", detail: $"No course {courseId}.", statusCode: StatusCodes.Status404NotFound);
            }

            if (name is "RecordEvaluation" && !string.Equals(course?.Worker, user.Identity?.Name, StringComparison.OrdinalIgnoreCase))
            {
                await audit.WriteAsync(new AuditRecord(action, "course", courseId, course?.CitizenId, "casework: evaluation by someone else", AuditOutcome.Denied), ct: CancellationToken.None);
                return TypedResults.Problem(title: "Forbidden", detail: "Evaluations are recorded by the course's responsible worker.", statusCode: StatusCodes.Status403Forbidden);
            }

            var result = await next(context);
            await audit.WriteAsync(new AuditRecord(action, "course", courseId, course?.CitizenId, purpose), ct: CancellationToken.None);
            return result;
        }

        switch (name)
        {
            case "StartCourse":
            {
                var body = context.Arguments.OfType<CtiEndpoints.StartCourseRequest>().FirstOrDefault();
                if (body is { Worker: { Length: > 0 } worker } && !user.IsInRole(ExitRoles.Manager) && !string.Equals(worker.Trim(), user.Identity?.Name, StringComparison.OrdinalIgnoreCase))
                {
                    await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", null, body.CitizenId.ToString(), "casework: start course for another worker", AuditOutcome.Denied), ct: CancellationToken.None);
                    return TypedResults.Problem(title: "Forbidden", detail: "A worker starts courses for their own caseload; a manager can start one for anyone.", statusCode: StatusCodes.Status403Forbidden);
                }

                if (body is not null && !user.IsInRole(ExitRoles.Manager))
                {
                    if (body.WorkerFullTimeEquivalent is not null)
                    {
                        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", null, body.CitizenId.ToString(), "casework: own full-time equivalent", AuditOutcome.Denied), ct: CancellationToken.None);
                        return TypedResults.Problem(title: "Forbidden", detail: "workerFullTimeEquivalent is set by a manager, not by the worker.", statusCode: StatusCodes.Status403Forbidden);
                    }

                    var others = (await queries.CaseloadWorkersOfCitizenAsync(body.CitizenId, ct))
                        .Where(w => !string.Equals(w, user.Identity?.Name, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (others.Count > 0)
                    {
                        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", null, body.CitizenId.ToString(), "casework: start course for a citizen on another caseload", AuditOutcome.Denied), ct: CancellationToken.None);
                        return TypedResults.Problem(title: "Not found", detail: $"No citizen {body.CitizenId}.", statusCode: StatusCodes.Status404NotFound);
                    }
                }

                var result = await next(context);
                var started = (result as Created<CtiEndpoints.CourseStartedResponse>)?.Value;
                await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", started?.CourseId.ToString(), body?.CitizenId.ToString(), "casework: start course"), ct: CancellationToken.None);
                return result;
            }
            case "CreateCitizen":
            {
                var result = await next(context);
                var id = (result as Created<CtiEndpoints.CitizenCreated>)?.Value?.Id.ToString();
                await audit.WriteAsync(new AuditRecord(AuditAction.Change, "citizen", id, id, "casework: register citizen"), ct: CancellationToken.None);
                return result;
            }
            default:
            {
                var result = await next(context);
                await audit.WriteAsync(new AuditRecord(action == AuditAction.Read ? AuditAction.Search : action, name ?? "cti", null, null, Purpose(name)), ct: CancellationToken.None);
                return result;
            }
        }
    }

    private static string Purpose(string? endpoint) => endpoint switch
    {
        "CtiOutcomeReport" => "management: outcome report",
        "CtiFidelityReport" => "management: fidelity report",
        "CtiReportExport" => "management: anonymous aggregate export",
        "ListStaffing" or "RecordStaffing" => "management: staffing",
        "CtiSupervisionSessions" or "HoldSupervisionSession" => "supervision",
        _ => "casework",
    };
}
