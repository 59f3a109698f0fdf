namespace Exit.Activities.Cti.Domain;

public enum FollowUpReason
{
    MissedMeeting,
}

/// <summary>
/// Work for the responsible worker, e.g. to re-establish contact after a missed meeting. The CTI rule is
/// "no sanctions": the domain answers a missed meeting with this, never with a penalty or a closed course.
/// </summary>
public sealed record FollowUp(
    CourseId CourseId,
    WorkerId WorkerId,
    FollowUpReason Reason,
    DateTimeOffset MeetingAt,
    DateTimeOffset RaisedAt,
    DateTimeOffset DueBy,
    string Description);
