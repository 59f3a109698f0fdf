using Exit.Activities.Cti.Activities;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Features.Cti;

/// <summary>
/// The CTI task kinds whose notes are confidential (cti-method.md, People and Privacy): the support-and-contact
/// person's meeting notes from <c>Exit.CtiPhase</c> (first contact, contact meetings, follow-ups of a missed
/// meeting) and the supervision note. What stays visible to others is the meeting date, so a manager or a worker
/// taking over the course can see that a meeting took place and when.
/// </summary>
public static class CtiConfidentialNotes
{
    public const string HeldOn = "heldOn";

    public static ConfidentialTaskKinds Kinds { get; } = new([
        new ConfidentialTaskKind(CtiTaskKinds.FirstContactMeeting, HeldOn),
        new ConfidentialTaskKind(CtiTaskKinds.ContactMeeting, HeldOn),
        new ConfidentialTaskKind(CtiTaskKinds.FollowUp, HeldOn),
        new ConfidentialTaskKind(CtiTaskKinds.Supervision),
    ]);
}
