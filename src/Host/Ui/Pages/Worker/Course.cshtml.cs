using System.Globalization;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using System.Text.Json.Nodes;
using Exit.Host.Features.Cti.Descriptors;
using Exit.Host.Features.Cti.Network;
using Exit.Host.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Worker;

/// <summary>
/// One course of the worker's caseload: the contact form (first, for a phone-sized screen), next contact and rhythm,
/// the decision in the contact period, the contact log, network and target-group descriptors, phases, timeline, tasks;
/// pause/resume, close a phase early, end the course with a reason.
/// </summary>
public sealed class CourseModel(
    UiQueries queries, CtiQueries cti, CtiCourseService service, TargetGroupService targetGroup, UiAccess access, UiText text, ContactNotes notes,
    TimeProvider clock, ILogger<CourseModel> logger, Exit.Workflows.Alterations.DefinitionVersionHistory versions) : PageModel
{
    /// <summary>The version of the course's workflow and since when (its start, or the migration that moved it).</summary>
    public Exit.Workflows.Alterations.InstanceVersion? WorkflowVersion { get; private set; }

    public TargetGroupDescriptors? Descriptors { get; private set; }

    /// <summary>The network form failed: it is shown open with the problems.</summary>
    public bool NetworkErrors { get; private set; }

    public UiCourseRow? Course { get; private set; }
    public CourseTimelineView? Timeline { get; private set; }
    public IReadOnlyList<CaseworkEndpoints.ContactView> Contacts { get; private set; } = [];

    /// <summary>Now on the Copenhagen wall clock, for the contact form's default (datetime-local).</summary>
    public string NowLocal => CopenhagenCalendar.ToLocal(clock.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public string TodayLocal => CopenhagenCalendar.ToLocal(clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public bool Forbidden { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, bool changed, string? saved, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Read, "casework", ct) is { } refused) return refused;
        if (changed) Messages.Status = text["course.changed"];
        if (saved == "contact") Messages.Status = text["contact.saved"];
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, PauseReason reason, CancellationToken ct) =>
        ChangeAsync(id, "casework: pause", () => service.PauseAsync(id, reason, ct), ct);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "casework: resume", () => service.ResumeAsync(id, ct), ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CoursePeriod period, CancellationToken ct) =>
        ChangeAsync(id, "casework: close phase early", () => service.ClosePhaseAsync(id, period, ct), ct);

    /// <summary>The network form: rows <c>m{i}.…</c> become the same list the API takes (<see cref="NetworkInput"/>); a blank new row is left out.</summary>
    public async Task<IActionResult> OnPostNetworkAsync(Guid id, CancellationToken ct)
    {
        var form = Request.Form;
        var members = new JsonArray();
        var rows = int.TryParse(form["rows"], out var n) ? Math.Clamp(n, 0, SupportNetworkMember.MaxMembers + 1) : 0;
        for (var i = 0; i < rows; i++)
        {
            var p = $"m{i}.";
            if (form[p + "remove"] == "true") continue;
            var row = new JsonObject();
            foreach (var field in new[] { "id", "kind", "actor", "contactPerson", "contact", "roleInPlan", "status" })
                if (form[p + field].ToString() is { Length: > 0 } value) row[field] = value;
            if (!row.ContainsKey("id") && row["actor"] is null && row["contactPerson"] is null && row["contact"] is null && row["roleInPlan"] is null) continue;
            row["focusAreas"] = new JsonArray(form[p + "focusAreas"].Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
            members.Add(row);
        }

        var problems = new List<ValidationFailure>();
        var parsed = NetworkInput.Read(members, () => Guid.CreateVersion7(clock.GetUtcNow()), problems);
        if (problems.Count > 0)
        {
            if (await LoadAsync(id, AuditAction.Change, "casework: network", ct) is { } refused) return refused;
            Messages.Errors.AddRange(problems.Select(NetworkProblem));
            NetworkErrors = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return await ChangeAsync(id, "casework: network", () => service.ReplaceNetworkAsync(id, parsed, ct), ct);
    }

    public async Task<IActionResult> OnPostDescriptorsAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Change, "casework: target-group descriptors", ct) is { } refused) return refused;
        var body = new JsonObject();
        foreach (var (field, _, _) in DescriptorFields(TargetGroupDescriptors.None))
            if (Request.Form[field].ToString() is { Length: > 0 } value) body[field] = value;
        var problems = new List<ValidationFailure>();
        var descriptors = CourseDescriptorsEndpoints.Read(body, problems);
        if (problems.Count > 0)
        {
            Messages.Errors.AddRange(problems.Select(p => text.Format("descriptors.invalid", text["descriptors." + p.Field])));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await targetGroup.SaveAsync(id, descriptors, ct);
        return Redirect($"/worker/courses/{id}?changed=true");
    }

    /// <summary>The descriptor fields in form order: JSON name, enum type, current value.</summary>
    public IEnumerable<(string Field, Type Type, string? Value)> DescriptorFields(TargetGroupDescriptors d) =>
    [
        ("ageBand", typeof(AgeBand), d.AgeBand?.ToString()),
        ("gender", typeof(Gender), d.Gender?.ToString()),
        ("prostitutionForm", typeof(ProstitutionForm), d.ProstitutionForm?.ToString()),
        ("mainIncome", typeof(MainIncome), d.MainIncome?.ToString()),
        ("debt", typeof(YesNo), d.Debt?.ToString()),
        ("mentalHealth", typeof(YesNo), d.MentalHealth?.ToString()),
        ("substanceUse", typeof(YesNo), d.SubstanceUse?.ToString()),
        ("interpreterNeeded", typeof(YesNo), d.InterpreterNeeded?.ToString()),
    ];

    /// <summary>"members[2].kind" → "Aktør 3: type – …" in the page's language.</summary>
    private string NetworkProblem(ValidationFailure problem)
    {
        var match = System.Text.RegularExpressions.Regex.Match(problem.Field, @"^members\[(\d+)\]\.(\w+)");
        if (!match.Success) return text["network.invalidList"];
        var row = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
        logger.LogInformation("Network form refused: {Field}", problem.Field);
        return text.Format("network.invalid", row, text["network.field." + match.Groups[2].Value]);
    }

    public Task<IActionResult> OnPostContactAsync(
        Guid id, string? kind, string? startedAt, int? durationMinutes, string? place, Guid[]? networkMemberIds, string[]? focusAreas, string? note,
        CancellationToken ct) =>
        ChangeAsync(id, "casework: contact log", () => service.LogContactAsync(id,
            new ContactInput(kind, WallClock(startedAt), durationMinutes, place, null, networkMemberIds, focusAreas, note),
            User.Identity?.Name ?? "", ct), ct, "contact");

    public Task<IActionResult> OnPostRhythmAsync(Guid id, string? rhythm, CancellationToken ct) =>
        ChangeAsync(id, "casework: contact rhythm", () => service.ChangeRhythmAsync(id, null, rhythm, User.Identity?.Name, ct), ct);

    public Task<IActionResult> OnPostDecisionAsync(Guid id, string? answer, CancellationToken ct) =>
        ChangeAsync(id, "casework: decision", () => service.DecideAsync(id, answer, User.Identity?.Name, ct), ct);

    public Task<IActionResult> OnPostEndAsync(Guid id, string? reason, string? endedOn, CancellationToken ct) =>
        ChangeAsync(id, "casework: end course", () => service.EndAsync(id, reason, EndDate(endedOn), User.Identity?.Name, ct), ct);

    /// <summary>datetime-local is a Copenhagen wall-clock time without offset.</summary>
    private static DateTimeOffset? WallClock(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) ? CopenhagenCalendar.FromWallClock(local) : null;

    /// <summary>An ending date: today means now; an earlier day means that day at noon (Copenhagen).</summary>
    private DateTimeOffset? EndDate(string? text)
    {
        if (!DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var day)) return null;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(now).DateTime);
        return day == today ? now : CopenhagenCalendar.FromWallClock(day.ToDateTime(new TimeOnly(12, 0)));
    }
    private async Task<IActionResult> ChangeAsync(Guid id, string purpose, Func<Task> change, CancellationToken ct, string? saved = null)
    {
        if (await LoadAsync(id, AuditAction.Change, purpose, ct) is { } refused) return refused;
        try
        {
            await change();
        }
        catch (CtiValidationException e)
        {
            foreach (var p in e.Problems) Messages.Errors.Add(text.Problem(p.Field, p.Message));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        catch (Exception e) when (e is CtiRuleViolation or CtiWorkflowStateException or CtiNotFoundException)
        {
            Messages.Errors.Add(e is CtiRuleViolation rule ? text.Rule(rule) : e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect($"/worker/courses/{id}?{(saved is null ? "changed=true" : "saved=" + saved)}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, AuditAction action, string purpose, CancellationToken ct)
    {
        // A missing course and someone else's course look the same (404), and both are logged.
        if (!await access.CanReadCourseAsync(User, id, action, purpose, ct) || (Course = await queries.CourseAsync(id, ct)) is null)
        {
            Course = null;
            Forbidden = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Timeline = await cti.TimelineAsync(id, ct);
        WorkflowVersion = await versions.ForCorrelationAsync(id.ToString(), ct);
        Descriptors = await targetGroup.GetAsync(id, ct);
        Contacts = await notes.ViewsAsync(User, id, await cti.ContactsAsync(id, ct), ct);
        return null;
    }
}
