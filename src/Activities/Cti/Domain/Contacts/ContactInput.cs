namespace Exit.Activities.Cti.Domain;

/// <summary>A contact as a worker enters it (kind, place and focus areas as names), before validation.</summary>
public sealed record ContactInput(
    string? Kind,
    DateTimeOffset? StartedAt,
    int? DurationMinutes,
    string? Place,
    IReadOnlyList<string>? Workers,
    IReadOnlyList<Guid>? NetworkMemberIds,
    IReadOnlyList<string>? FocusAreas,
    string? Note);

/// <summary>One problem with a contact, keyed by the API field it concerns.</summary>
public sealed record ContactProblem(string Field, string Message);

/// <summary>
/// Checks a contact against the course before anything is stored: every problem is reported, keyed by field
/// (a contact in the future, a duration outside 0–24 hours, an unknown kind, place, focus area or network member).
/// </summary>
public static class ContactValidation
{
    /// <summary>Clock skew tolerated between a phone's clock and the server (a contact "now" is not in the future).</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<ContactProblem> Validate(Course course, ContactInput input, DateTimeOffset now, out ContactDraft? draft)
    {
        var problems = new List<ContactProblem>();
        draft = null;
        if (!TryParse<ContactKind>(input.Kind, out var kind))
            problems.Add(new("kind", $"Unknown kind '{input.Kind}'; one of {string.Join(", ", Enum.GetNames<ContactKind>())}."));
        if (!TryParse<ContactPlace>(input.Place, out var place))
            problems.Add(new("place", $"Unknown place '{input.Place}'; one of {string.Join(", ", Enum.GetNames<ContactPlace>())}."));
        if (input.StartedAt is not { } started)
            problems.Add(new("startedAt", "The start date and time are required."));
        else if (started > now + Skew)
            problems.Add(new("startedAt", "A contact cannot lie in the future."));
        else if (started < course.StartDate)
            problems.Add(new("startedAt", "The contact lies before the course began."));
        if (input.DurationMinutes is not { } minutes)
            problems.Add(new("durationMinutes", "The duration is required (minutes)."));
        else if (minutes is < 0 or > Contact.MaxDurationMinutes)
            problems.Add(new("durationMinutes", "The duration is 0 to 1440 minutes (24 hours)."));
        var members = (input.NetworkMemberIds ?? []).Distinct().ToList();
        var unknown = members.Where(id => course.Network.All(m => m.Id != id)).ToList();
        if (unknown.Count > 0)
            problems.Add(new("networkMemberIds", $"Not in the course's network: {string.Join(", ", unknown)}."));
        var areas = new List<FocusArea>();
        foreach (var text in input.FocusAreas ?? [])
        {
            if (TryParse<FocusArea>(text, out var area)) areas.Add(area);
            else problems.Add(new("focusAreas", $"Unknown focus area '{text}'."));
        }

        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note is { Length: > Contact.MaxNoteLength })
            problems.Add(new("note", $"The note is at most {Contact.MaxNoteLength} characters."));
        var workers = (input.Workers ?? []).Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (problems.Count == 0)
            draft = new ContactDraft(kind, input.StartedAt!.Value, input.DurationMinutes!.Value, place, workers, members, areas.Distinct().ToList(), note);
        return problems;
    }

    private static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}

/// <summary>A validated contact, ready to become a revision.</summary>
public sealed record ContactDraft(
    ContactKind Kind,
    DateTimeOffset StartedAt,
    int DurationMinutes,
    ContactPlace Place,
    IReadOnlyList<string> Workers,
    IReadOnlyList<Guid> NetworkMemberIds,
    IReadOnlyList<FocusArea> FocusAreas,
    string? Note)
{
    public Contact ToRevision(Guid contactId, int revision, CourseId courseId, string recordedBy, DateTimeOffset recordedAt) =>
        new(contactId, revision, courseId, Kind, StartedAt, DurationMinutes, Place,
            Workers.Count > 0 ? Workers : [recordedBy], NetworkMemberIds, FocusAreas, Note, recordedBy, recordedAt);
}
