namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Stable codes for <see cref="CtiRuleViolation.Rule"/>. They are part of the API contract:
/// rename the constant if you like, never the string.
/// </summary>
public static class CtiRules
{
    public const string AliasRequired = "cti.citizen.alias-required";
    public const string AliasTooLong = "cti.citizen.alias-too-long";
    public const string CprFormat = "cti.citizen.cpr-format";

    public const string PhasesInOrder = "cti.course.phases-in-order";
    public const string CourseNotActive = "cti.course.not-active";
    public const string CoursePaused = "cti.course.paused";
    public const string CourseNotPaused = "cti.course.not-paused";
    public const string TimeGoesForward = "cti.course.time-goes-forward";
    public const string CompleteFromPhase3 = "cti.course.complete-from-phase-3";
    public const string SameWorker = "cti.course.same-worker";
    public const string FocusAreaCount = "cti.course.focus-area-count";
    public const string FocusAreaDuplicate = "cti.course.focus-area-duplicate";
    public const string FocusAreasOnlyForPhases = "cti.course.focus-areas-only-for-phases";
    public const string PeriodAlreadyEnded = "cti.course.period-already-ended";
    public const string UnknownActivity = "cti.course.unknown-activity";
    public const string UnknownNetworkMember = "cti.course.unknown-network-member";
    public const string DuplicateId = "cti.course.duplicate-id";
    public const string TextRequired = "cti.course.text-required";
    public const string NetworkActorRequired = "cti.network.actor-required";
    public const string NetworkTooLarge = "cti.network.too-large";
    public const string EndingReasonUnknown = "cti.course.ending-reason";
    public const string EndingInFuture = "cti.course.ending-in-future";
    public const string RhythmUnknown = "cti.course.rhythm";
    public const string DecisionRequired = "cti.course.decision-required";
    public const string NotInContactPeriod = "cti.course.not-in-contact-period";
    public const string HandoverAgreementRequired = "cti.course.handover-agreement-required";

    public const string ContactInFuture = "cti.contact.started-at";
    public const string ContactDuration = "cti.contact.duration-minutes";
    public const string ContactKindUnknown = "cti.contact.kind";
    public const string ContactPlaceUnknown = "cti.contact.place";
    public const string ContactNetworkMember = "cti.contact.network-member-ids";
    public const string ContactNote = "cti.contact.note";
    public const string ContactUnknown = "cti.contact.unknown";

    public const string CaseloadFull = "cti.worker.caseload-full";

    public const string InvalidSettings = "cti.settings.invalid";

    public const string Who5ItemCount = "cti.who5.item-count";
    public const string Who5ItemRange = "cti.who5.item-range";
    public const string PaidForSexFrequency = "cti.paid-for-sex.frequency";
    public const string LifeSituationIncomplete = "cti.life-situation.incomplete";
    public const string LifeSituationRange = "cti.life-situation.range";
    public const string EvaluationEmpty = "cti.evaluation.empty";
}
