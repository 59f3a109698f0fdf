using Exit.Activities.Cti.Activities;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Features.Cti;

/// <summary>
/// The CTI task kinds whose notes are confidential (cti-method.md, People and Privacy). The CTI worker's own meeting
/// notes (first contact, contact meetings, follow-ups of a missed meeting, from courses started before the contact
/// rhythm) are municipal case notes: the worker who takes the course over reads them, audited as "continuity"
/// (issue 8, item 9). The supervision note stays with its author and supervisors. What stays visible to others
/// (managers) is the meeting date, so they can see that a meeting took place and when. Contact-log notes follow the
/// same rule (<see cref="ContactNotes"/>).
/// </summary>
public static class CtiConfidentialNotes
{
    public const string HeldOn = "heldOn";

    public static ConfidentialTaskKinds Kinds { get; } = new([
        new ConfidentialTaskKind(CtiTaskKinds.FirstContactMeeting, HeldOn) { CaseNote = true },
        new ConfidentialTaskKind(CtiTaskKinds.ContactMeeting, HeldOn) { CaseNote = true },
        new ConfidentialTaskKind(CtiTaskKinds.FollowUp, HeldOn) { CaseNote = true },
        new ConfidentialTaskKind(CtiTaskKinds.Supervision),
    ]);
}
