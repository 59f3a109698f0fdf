namespace Exit.Host.Infrastructure.Privacy;

/// <summary>
/// How long each kind of record is kept (<c>Exit:Retention</c>), in days after the event named. The defaults and their
/// reasons are in the README (Operations, Retention); every one of them is a local choice a municipality confirms
/// against its own records-management rules (arkivloven, its bevarings- og kassationsregler), as cti-method.md says:
/// retention follows policy. 0 or less switches a kind off (kept until erased on request).
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Ended (completed or cancelled) courses: the course, its tasks and answers, evaluations, workflow instance, and the citizen when nothing else is left.</summary>
    public int ClosedCoursesDays { get; set; } = 1826;

    /// <summary>Citizens registered without ever starting a course (enquiries that led nowhere).</summary>
    public int EnquiriesDays { get; set; } = 365;

    /// <summary>The workflow instance (state document, bookmarks, journal) of an ended course; the course record itself stays for <see cref="ClosedCoursesDays"/>.</summary>
    public int FinishedCourseInstancesDays { get; set; } = 90;

    /// <summary>Audit entries, counted from when they were written.</summary>
    public int AuditEntriesDays { get; set; } = 1826;

    /// <summary>When the daily job runs: a Quartz cron expression in <c>Exit:TimeZone</c>.</summary>
    public string Schedule { get; set; } = "0 0 3 * * ?";
}
