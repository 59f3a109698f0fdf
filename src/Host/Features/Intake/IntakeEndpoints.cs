using System.Security.Claims;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Intake;

/// <summary>
/// The intake register under <c>/api/intake</c>, for workers and managers (<see cref="ExitPolicies.Caseload"/>): enquiries
/// and referrals before any course, their decision and the course they led to, and the enquiry table (counts per year,
/// channel and outcome, cells 1–4 shown as "&lt;5"). Every list, registration and decision is audited (resource
/// <c>enquiry</c>). Linking a course needs access to it (<see cref="ICaseloadAccess"/>).
/// </summary>
public static class IntakeEndpoints
{
    public sealed record RegisterEnquiryRequest(string? ReceivedOn, string? Channel, bool Anonymous = false, string? Alias = null);
    public sealed record DecisionRequest(string? Decision, string? CourseId);
    public sealed record IntakeResponse(DateOnly From, DateOnly To, IReadOnlyList<EnquiryView> Items, IReadOnlyList<EnquiryCount> Table);

    public static RouteGroupBuilder MapIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/intake").WithTags("Intake")
            .AddEndpointFilter<CtiProblemFilter>().AddEndpointFilter<ProblemMappingFilter>()
            .RequireAuthorization(ExitPolicies.Caseload)
            .WithMetadata(new AuditedResourceAttribute("enquiry"));
        group.MapGet("/", List).WithName("ListEnquiries")
            .WithSummary("Enquiries received from–to (default: this year) and the enquiry table per year, channel and outcome (cells 1–4 as \"<5\").");
        group.MapPost("/", Register).WithName("RegisterEnquiry").ProducesValidationProblem();
        group.MapPost("/{id:guid}/decision", Decide).WithName("DecideEnquiry").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static (DateOnly From, DateOnly To) Period(TimeProvider clock, DateOnly? from, DateOnly? to)
    {
        var today = Today(clock);
        return (from ?? new DateOnly(today.Year, 1, 1), to ?? today);
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(clock.GetUtcNow()).DateTime);

    private static async Task<Ok<IntakeResponse>> List(
        IntakeRegister register, IAuditLog audit, TimeProvider clock, CancellationToken ct, [FromQuery] DateOnly? from = null, [FromQuery] DateOnly? to = null)
    {
        var (f, t) = Period(clock, from, to);
        if (t < f) throw new RequestValidationException([new("to", "The period ends before it starts.")]);
        var response = new IntakeResponse(f, t, await register.ListAsync(f, t, ct), await register.TableAsync(f, t, ct));
        await audit.WriteAsync(new AuditRecord(AuditAction.Search, "enquiry", null, null, "intake"), ct: CancellationToken.None);
        return TypedResults.Ok(response);
    }

    private static async Task<Created<EnquiryView>> Register(
        RegisterEnquiryRequest body, ClaimsPrincipal user, IntakeRegister register, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var problems = new List<ValidationFailure>();
        var enquiry = IntakeInput.ReadEnquiry(body.ReceivedOn, body.Channel, body.Anonymous, body.Alias, Today(clock), problems);
        if (enquiry is null) throw new RequestValidationException(problems);
        var view = await register.RegisterAsync(enquiry.ReceivedOn, enquiry.Channel, enquiry.Anonymous, enquiry.Alias, user.Identity?.Name ?? "", ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "enquiry", view.Id.ToString(), null, "intake: register enquiry"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/intake/{view.Id}", view);
    }

    private static async Task<Results<Ok<EnquiryView>, NotFound>> Decide(
        Guid id, DecisionRequest body, ClaimsPrincipal user, IntakeRegister register, ICaseloadAccess caseload, ICourseDirectory courses,
        IAuditLog audit, CancellationToken ct)
    {
        var problems = new List<ValidationFailure>();
        var decision = IntakeInput.ReadDecision(body.Decision, body.CourseId, problems);
        string? citizen = null;
        if (decision?.CourseId is { } courseId)
        {
            // A course the caller may not see is reported as unknown, like everywhere else.
            var course = await courses.FindCourseAsync(courseId.ToString(), ct);
            if (course is null || !await caseload.CanAccessCourseAsync(user, courseId.ToString(), ct))
                problems.Add(new("courseId", "No course with that id in your caseload."));
            citizen = course?.CitizenId;
        }

        if (problems.Count > 0 || decision is null) throw new RequestValidationException(problems);
        if (await register.GetAsync(id, ct) is null) return TypedResults.NotFound();
        var view = await register.DecideAsync(id, decision.Value.Decision, decision.Value.CourseId, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "enquiry", id.ToString(), citizen, "intake: decision"), ct: CancellationToken.None);
        return TypedResults.Ok(view);
    }
}
