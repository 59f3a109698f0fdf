using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// The contact rhythm, the contact log, the decision (Afklaring), the ending and the upgrade of old courses: the parts
/// of <see cref="CtiPhase"/> that keep the one next-contact task.
/// </summary>
public sealed partial class CtiPhase
{
    private const string DefaultContactInstructions =
        "Hold kontakten med borgeren i den aftalte rytme. Registrér hver kontakt i kontaktloggen på forløbet: så planlægges den næste.";

    private const string ClarificationInstructions =
        "Afklar ved kontaktperiodens afslutning, om borgeren er i målgruppen og motiveret. Fortsæt: fase 1 begynder. " +
        "Ikke i målgruppen, ikke motiveret nu eller henvist til andet tilbud: forløbet afsluttes med den begrundelse.";

    /// <summary>The contact as the control command carries it.</summary>
    public static JsonNode ContactNode(Contact contact) => JsonSerializer.SerializeToNode(contact, CourseJson.Options)!;

    private async Task<BookmarkRequest> RaiseNextContactAsync(IActivityExecutionContext context, Course course, CoursePeriod period, Contact? pending)
    {
        var last = await LastCitizenContactAsync(course.Id, pending);
        return RaiseNextContactTask(context, course, period, NextContactDue(context, course, period, last));
    }

    /// <summary>
    /// The rhythm's next due date: one interval after the later of the last contact with the citizen and the period's
    /// start, pushed on by the pauses since then, on a working day.
    /// </summary>
    private DateTimeOffset NextContactDue(IActivityExecutionContext context, Course course, CoursePeriod period, DateTimeOffset? lastContact)
    {
        var start = course.Schedule[period].EffectiveStart;
        var anchor = lastContact is { } l && l > start ? l : start;
        // An open pause is left to the resume, which moves every open task by the paused time.
        return NextContactPlanner.NextContactDue(anchor, course.Settings.CadenceFor(period), course.Pauses.Where(p => !p.IsOpen), context.Now, workingDays);
    }

    private BookmarkRequest RaiseNextContactTask(IActivityExecutionContext context, Course course, CoursePeriod period, DateTimeOffset due)
    {
        var instructions = context.GetInput<string>("MeetingInstructions");
        var bookmark = CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(
            CtiTaskKinds.NextContact,
            $"Næste kontakt senest {CtiWorkflow.DanishDate(workingDays.OnOrAfter(due))}",
            string.IsNullOrWhiteSpace(instructions) || !LooksDanish(instructions) ? DefaultContactInstructions : instructions,
            course.ResponsibleWorkerId.Value, CtiWorkflow.WorkerRole, due, [ContactLogged]));
        context.Properties[NextContactProperty] = bookmark.Id;
        return bookmark;
    }

    private BookmarkRequest RaiseClarification(IActivityExecutionContext context, Course course) =>
        CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(
            CtiTaskKinds.Clarification,
            "Afklaring: fortsætter borgeren i forløbet?",
            ClarificationInstructions,
            course.ResponsibleWorkerId.Value, CtiWorkflow.WorkerRole, course.Schedule[CoursePeriod.ContactPeriod].PlannedEnd,
            Enum.GetNames<ClarificationAnswer>()));

    /// <summary>
    /// Re-plans the next-contact task: when the rhythm gives a different due date than the open task has, the open one
    /// is closed — completed ("ContactLogged") when a new contact with the citizen satisfied it, otherwise cancelled
    /// with <paramref name="reason"/> — and a new one is raised. Returns the new task's bookmark, or null if unchanged.
    /// </summary>
    private async Task<BookmarkRequest?> ReplanAsync(
        IActivityExecutionContext context, Course course, CoursePeriod period, Contact? pending, Contact? satisfiedBy, string reason)
    {
        var due = workingDays.OnOrAfter(NextContactDue(context, course, period, await LastCitizenContactAsync(course.Id, pending)));
        var open = CtiWorkflow.OpenTasks(context);
        var currentId = context.Properties[NextContactProperty]?.GetValue<string>();
        if (currentId is not null && open[currentId] is JsonObject info)
        {
            if (CtiWorkflow.ParseIso(info["due"]!.GetValue<string>()) == due) return null;
            if (satisfiedBy is { IsWithCitizen: true })
            {
                context.AddEffect(new CtiTaskSatisfied(currentId, ContactLogged, satisfiedBy.RecordedBy, context.Now,
                    new JsonObject { ["contactId"] = satisfiedBy.ContactId.ToString() }.ToJsonString()));
            }
            else
            {
                context.AddEffect(new CtiTasksCancelled(context.WorkflowInstanceId, [currentId], context.Now, reason));
            }

            open.Remove(currentId);
        }

        return RaiseNextContactTask(context, course, period, due);
    }

    private async Task<ActivityResult> ContactAsync(IActivityExecutionContext context, Course course, CoursePeriod period, JsonObject command, BookmarkRequest control)
    {
        var contact = command["contact"]?.Deserialize<Contact>(CourseJson.Options)
                      ?? throw new InvalidOperationException("A contact command carries the contact.");
        if (course.IsEnded) throw new CtiRuleViolation(CtiRules.CourseNotActive, $"The course is {course.Status}; no contact can be logged.");
        context.AddEffect(new ContactRecorded(contact));
        var next = await ReplanAsync(context, course, period, contact, contact.Revision == 1 ? contact : null, "Genplanlagt efter en rettet kontakt");
        logger.LogInformation("Course {CourseId}: contact {ContactId} revision {Revision} logged ({Kind}); next contact {Replanned}",
            course.Id, contact.ContactId, contact.Revision, contact.Kind, next is null ? "unchanged" : "re-planned");
        return next is null ? ActivityResult.Suspend(control) : ActivityResult.Suspend(control, next);
    }

    private ActivityResult EndCourse(IActivityExecutionContext context, Course course, CoursePeriod period, EndingReason reason, DateTimeOffset endedOn, string? by)
    {
        course.End(reason, endedOn, context.Now, by);
        CtiWorkflow.SaveCourse(context, course);
        // Every open task of the course ends with it (tasks of the other branches too: supervision, evaluations).
        context.AddEffect(new CtiTasksCancelled(context.WorkflowInstanceId, null, context.Now, "Forløbet er afsluttet"));
        CtiWorkflow.OpenTasks(context).Clear();
        context.Properties.Remove(NextContactProperty);
        context.SetOutput("ClosedEarly", true);
        logger.LogInformation("Course {CourseId} ended in {Period} ({Reason})", course.Id, period, reason);
        return ActivityResult.Complete(EndedPort);
    }

    /// <summary>
    /// A course started before the rhythm: its pre-generated meeting tasks still open are cancelled with
    /// <see cref="UpgradeReason"/>, one next-contact task is raised from the rhythm, and a contact period gets its
    /// decision task (its old end-of-period timer is ignored from now on). Running it twice changes nothing.
    /// </summary>
    private async Task<ActivityResult> UpgradeAsync(IActivityExecutionContext context, Course course, CoursePeriod period, BookmarkRequest control)
    {
        var open = CtiWorkflow.OpenTasks(context);
        var courseId = course.Id.ToString();
        List<string> legacy;
        await using (var db = tasks.Create())
        {
            legacy = await db.Tasks.AsNoTracking()
                .Where(t => t.CorrelationId == courseId && t.Status == HumanTaskStatus.Open
                            && (t.Kind == CtiTaskKinds.FirstContactMeeting || t.Kind == CtiTaskKinds.ContactMeeting))
                .Select(t => t.Id).ToListAsync();
        }

        var bookmarks = new List<BookmarkRequest> { control };
        if (legacy.Count > 0)
        {
            context.AddEffect(new CtiTasksCancelled(context.WorkflowInstanceId, legacy, context.Now, UpgradeReason));
            foreach (var id in legacy) open.Remove(id);
        }

        if (context.Properties[NextContactProperty] is null && !course.IsEnded)
            bookmarks.Add(await RaiseNextContactAsync(context, course, period, pending: null));
        if (period == CoursePeriod.ContactPeriod && !course.IsEnded && open.All(p => p.Value?["kind"]?.GetValue<string>() != CtiTaskKinds.Clarification))
        {
            CtiWorkflow.DisarmTimer(context);
            bookmarks.Add(RaiseClarification(context, course));
        }

        logger.LogInformation("Course {CourseId} upgraded to the contact rhythm: {Cancelled} meeting tasks cancelled", course.Id, legacy.Count);
        return ActivityResult.Suspend([.. bookmarks]);
    }

    private async Task<DateTimeOffset?> LastCitizenContactAsync(CourseId courseId, Contact? pending)
    {
        var id = courseId.ToString();
        await using var db = cti.Create();
        var rows = await db.Contacts.AsNoTracking().Where(c => c.CourseId == id).ToListAsync();
        var pendingId = pending?.ContactId.ToString();
        DateTimeOffset? last = rows.GroupBy(r => r.ContactId)
            .Where(g => g.Key != pendingId)
            .Select(g => g.OrderByDescending(r => r.Revision).First())
            .Where(r => r.WithCitizen)
            .Select(r => (DateTimeOffset?)r.StartedAt)
            .Max();
        if (pending is { IsWithCitizen: true } && (last is null || pending.StartedAt > last)) last = pending.StartedAt;
        return last;
    }

    /// <summary>Old definitions carry English meeting instructions; Danish pages show the Danish default instead.</summary>
    private static bool LooksDanish(string text) => text.Any(c => c is 'æ' or 'ø' or 'å' or 'Æ' or 'Ø' or 'Å');
}
