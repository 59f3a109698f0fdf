using System.Security.Claims;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Cti;

/// <summary>
/// Casework on a course under <c>/api/courses/{courseId}</c>: the contact log (list, log, correct), the contact rhythm,
/// the contact period's decision (Afklaring) and ending the course. Per-course access and audit are
/// <see cref="CtiAccessFilter"/>'s (the CTI group's); contact notes follow <see cref="ContactNotes"/>.
/// </summary>
public static class CaseworkEndpoints
{
    public sealed record ContactRequest(
        string? Kind, DateTimeOffset? StartedAt, int? DurationMinutes, string? Place,
        string[]? Workers, Guid[]? NetworkMemberIds, string[]? FocusAreas, string? Note);

    public sealed record ContactView(
        Guid ContactId, int Revision, string Kind, bool WithCitizen, DateTimeOffset StartedAt, int DurationMinutes, string Place,
        IReadOnlyList<string> Workers, IReadOnlyList<Guid> NetworkMemberIds, IReadOnlyList<string> FocusAreas,
        string? Note, bool NoteWithheld, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<ContactView> EarlierRevisions);

    public sealed record RhythmRequest(string? Period, string? Rhythm);
    public sealed record RhythmResponse(string Period, string From, string To);
    public sealed record DecisionRequest(string? Answer);
    public sealed record EndRequest(string? Reason, DateTimeOffset? EndedOn);
    public sealed record EndResponse(string Reason, DateTimeOffset EndedOn, string Outcome);

    public static RouteGroupBuilder MapCaseworkEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/courses/{courseId:guid}/contacts", ListContacts).WithName("ListContacts");
        group.MapPost("/courses/{courseId:guid}/contacts", LogContact).WithName("LogContact");
        group.MapPut("/courses/{courseId:guid}/contacts/{contactId:guid}", CorrectContact).WithName("CorrectContact");
        group.MapPut("/courses/{courseId:guid}/rhythm", ChangeRhythm).WithName("ChangeRhythm");
        group.MapPost("/courses/{courseId:guid}/decision", Decide).WithName("DecideClarification");
        group.MapPost("/courses/{courseId:guid}/end", End).WithName("EndCourse");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<ContactView>>> ListContacts(
        Guid courseId, ClaimsPrincipal user, CtiQueries queries, ContactNotes notes, CancellationToken ct) =>
        TypedResults.Ok(await notes.ViewsAsync(user, courseId, await queries.ContactsAsync(courseId, ct), ct));

    private static async Task<Created<ContactView>> LogContact(Guid courseId, ContactRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        var contact = await service.LogContactAsync(courseId, Input(body), user.Identity?.Name ?? "api", ct);
        return TypedResults.Created($"/api/courses/{courseId}/contacts", ContactNotes.View(contact, note: true, []));
    }

    private static async Task<Ok<ContactView>> CorrectContact(
        Guid courseId, Guid contactId, ContactRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        var contact = await service.LogContactAsync(courseId, Input(body), user.Identity?.Name ?? "api", ct, contactId);
        return TypedResults.Ok(ContactNotes.View(contact, note: true, []));
    }

    private static async Task<Ok<RhythmResponse>> ChangeRhythm(Guid courseId, RhythmRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        var change = await service.ChangeRhythmAsync(courseId, body.Period, body.Rhythm, user.Identity?.Name, ct);
        return TypedResults.Ok(new RhythmResponse(change.Period.ToString(), change.From.ToString(), change.To.ToString()));
    }

    private static async Task<NoContent> Decide(Guid courseId, DecisionRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        await service.DecideAsync(courseId, body.Answer, user.Identity?.Name, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<EndResponse>> End(Guid courseId, EndRequest body, ClaimsPrincipal user, CtiCourseService service, CancellationToken ct)
    {
        var ending = await service.EndAsync(courseId, body.Reason, body.EndedOn, user.Identity?.Name, ct);
        var outcome = ending.Reason == EndingReason.GoalReached ? CourseOutcome.Completed
            : ending.InPeriod == CoursePeriod.ContactPeriod ? CourseOutcome.EndedAtClarification : CourseOutcome.DroppedOut;
        return TypedResults.Ok(new EndResponse(ending.Reason.ToString(), ending.EndedOn, outcome.ToString()));
    }

    private static ContactInput Input(ContactRequest b) =>
        new(b.Kind, b.StartedAt, b.DurationMinutes, b.Place, b.Workers, b.NetworkMemberIds, b.FocusAreas, b.Note);
}

/// <summary>
/// Who reads a contact's note: the CTI worker's contact notes are municipal case notes — their author, supervisors, and
/// the course's responsible worker (a worker who took the course over reads them; audited with purpose "continuity").
/// Managers see that a contact took place, its kind, time, place and participants, never the note. A volunteer support-and-
/// contact person's note is read by her and the psychologist only (<see cref="ContactNoteReader"/>): the CTI worker sees
/// that her contact happened, not what was said.
/// </summary>
public sealed class ContactNotes(ICaseloadAccess caseload, ICourseDirectory courses, IAuditLog audit)
{
    public const string ContinuityPurpose = "continuity";

    public async Task<IReadOnlyList<CaseworkEndpoints.ContactView>> ViewsAsync(ClaimsPrincipal user, Guid courseId, IReadOnlyList<Contact> revisions, CancellationToken ct)
    {
        var reader = await caseload.ContactNoteReaderAsync(user, courseId.ToString(), ct);
        bool MayRead(Contact c) => reader.MayRead(c.RecordedBy);
        var views = revisions.GroupBy(c => c.ContactId)
            .Select(g =>
            {
                var all = g.OrderBy(c => c.Revision).ToList();
                var earlier = all.Take(all.Count - 1).Reverse().Select(c => View(c, MayRead(c), [])).ToList();
                return View(all[^1], MayRead(all[^1]), earlier);
            })
            .ToList();
        // Reading notes another worker wrote, as the course's responsible worker: continuity of the case, logged as such.
        if (revisions.Any(c => c.Note is not null && reader.IsContinuityRead(c.RecordedBy)))
        {
            var citizen = await courses.CitizenOfCorrelationAsync(courseId.ToString(), ct);
            await audit.WriteAsync(new AuditRecord(AuditAction.Read, "contact-notes", courseId.ToString(), citizen, ContinuityPurpose), user, ct);
        }

        // A supervisor (the psychologist) reading a support-and-contact person's note: audited as supervision.
        if (user.IsInRole(ExitRoles.Supervisor) && revisions.Any(c => c.Note is not null && reader.IsSupportPersonNote(c.RecordedBy)))
        {
            var citizen = await courses.CitizenOfCorrelationAsync(courseId.ToString(), ct);
            await audit.WriteAsync(new AuditRecord(AuditAction.Read, "support-person-notes", courseId.ToString(), citizen, "supervision"), user, ct);
        }

        return views;
    }

    public static CaseworkEndpoints.ContactView View(Contact c, bool note, IReadOnlyList<CaseworkEndpoints.ContactView> earlier) => new(
        c.ContactId, c.Revision, c.Kind.ToString(), c.IsWithCitizen, c.StartedAt, c.DurationMinutes, c.Place.ToString(), c.Workers,
        c.NetworkMemberIds, c.FocusAreas.Select(f => f.ToString()).ToList(), note ? c.Note : null, !note && c.Note is not null,
        c.RecordedBy, c.RecordedAt, earlier);
}
