namespace Exit.Activities.Cti.Domain;

/// <summary>Exit Prostitution's two target groups; about half chose each.</summary>
public enum CourseGoal
{
    /// <summary>Leave prostitution.</summary>
    Exit,

    /// <summary>Improve the current life situation while still in prostitution.</summary>
    ImproveLifeSituation,
}

/// <summary>The four consecutive periods of a course; the numbers are their order.</summary>
public enum CoursePeriod
{
    /// <summary>Kontaktskabelsesperiode: first meetings, target group, motivation, anonymity.</summary>
    ContactPeriod = 0,

    /// <summary>Planlægning og igangsættelse.</summary>
    Phase1 = 1,

    /// <summary>Afprøvning og tilpasning.</summary>
    Phase2 = 2,

    /// <summary>Ansvarsoverdragelse og forankring.</summary>
    Phase3 = 3,
}

public enum CourseStatus
{
    ContactPeriod,
    Phase1,
    Phase2,
    Phase3,
    Paused,
    Completed,
    Cancelled,
}

public enum PauseReason
{
    Hospitalisation,
    Prison,
    Other,
}

/// <summary>Why a course ended before phase 3 was completed. Recorded for reports, never a sanction.</summary>
public enum CancellationReason
{
    CitizenWithdrew,
    CitizenMovedAway,
    ContactLost,
    Other,
}
