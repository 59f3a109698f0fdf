namespace Exit.Activities.SupportPersons.Domain;

/// <summary>Where a support-and-contact person (SKP) stands in the scheme. The names are stored; never rename one.</summary>
public enum SupportPersonStatus
{
    /// <summary>Aktiv: takes citizens and is owed supervision every month.</summary>
    Active,

    /// <summary>På pause: keeps the profile, takes no new citizens, no supervision is owed.</summary>
    Paused,

    /// <summary>Stoppet: no longer in the scheme.</summary>
    Ended,
}

/// <summary>Whose supervision a series is.</summary>
public enum SupervisionSeriesKind
{
    /// <summary>One SKP team with the municipality's psychologist, monthly (seed 000).</summary>
    SupportPersonTeam,

    /// <summary>The CTI workers' regular team supervision (the method's practice), at a configured cadence.</summary>
    Workers,
}

/// <summary>How often a series meets. SKP teams meet monthly; the worker series is configurable.</summary>
public enum SupervisionCadence
{
    Weekly,
    Fortnightly,
    Monthly,
}

/// <summary>Held for the team together, or one SKP at a time (the psychologist decides per session).</summary>
public enum SupervisionFormat
{
    Group,
    Individual,
}

public enum SupervisionSessionStatus
{
    Planned,
    Held,
    Cancelled,
}
