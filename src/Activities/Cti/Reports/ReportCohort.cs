using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// One course as the reports read it: the course itself (periods, assignments, pauses, focus areas, ending), its
/// citizen's target-group descriptors, the team of its responsible worker, its evaluations and logged contacts
/// (latest revision of each), and when the handover agreement was made (the completed agreement task), if it was.
/// <see cref="ReportData"/> fills only the parts a report reads (<see cref="ReportParts"/>): the outcome report's courses
/// carry no contacts, the fidelity report's no evaluations or descriptors.
/// </summary>
public sealed record ReportCourse(
    Course Course,
    TargetGroupDescriptors Descriptors,
    string? Team,
    IReadOnlyList<Evaluation> Evaluations,
    IReadOnlyList<ReportContact> Contacts,
    DateTimeOffset? HandoverAgreedAt)
{
    public string CitizenKey => Course.CitizenId.ToString();

    public string Worker => Course.ResponsibleWorkerId.Value;

    /// <summary>Whether the course got past the contact period (its phase 1 began).</summary>
    public bool IsFullCourse => Course.Schedule[CoursePeriod.Phase1].HasStarted;

    /// <summary>When the course ended (completed or ended early), or null while it runs.</summary>
    public DateTimeOffset? EndedAt => Course.IsEnded ? Course.Schedule.End : null;
}

/// <summary>A logged contact, as the fidelity report counts it (kind and time only; never the note).</summary>
public sealed record ReportContact(ContactKind Kind, DateTimeOffset StartedAt)
{
    public bool WithCitizen => Contact.IsCitizenContact(Kind);
}

/// <summary>A worker's team and full-time equivalent from <see cref="From"/> until the next row of the same worker.</summary>
public sealed record StaffingPeriod(string Worker, string Team, decimal FullTimeEquivalent, DateTimeOffset From);

/// <summary>One staffing row as recorded: full-time equivalent in percent, from when, by whom.</summary>
public sealed record StaffingEntry(string Worker, string Team, int FtePercent, DateTimeOffset From, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// Supervision sessions held in one month (first day of the month, Copenhagen time): the CTI workers' team supervision
/// and the support-and-contact persons' (SKP) supervision, which the method asks for at different rhythms.
/// </summary>
public sealed record SupervisionMonth(DateOnly Month, int Workers, int SupportPersons)
{
    public int Sessions => Workers + SupportPersons;
}

/// <summary>
/// Which courses a report covers. Period is the course start (year, optionally quarter 1–4, Copenhagen time); team and
/// worker are those of the responsible worker.
/// </summary>
public sealed record ReportFilter(
    int? Year = null,
    int? Quarter = null,
    string? Team = null,
    string? Worker = null,
    CourseGoal? Goal = null,
    bool CompletedOnly = false)
{
    public bool Matches(ReportCourse c)
    {
        var start = CopenhagenCalendar.ToLocal(c.Course.StartDate);
        if (Year is { } y && start.Year != y) return false;
        if (Quarter is { } q && (start.Month - 1) / 3 + 1 != q) return false;
        if (!string.IsNullOrEmpty(Team) && !string.Equals(c.Team, Team, StringComparison.Ordinal)) return false;
        if (!string.IsNullOrEmpty(Worker) && !string.Equals(c.Worker, Worker, StringComparison.Ordinal)) return false;
        if (Goal is { } g && c.Course.Goal != g) return false;
        return !CompletedOnly || c.Course.Outcome == CourseOutcome.Completed;
    }
}
