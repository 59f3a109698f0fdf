namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The CTI caseload cap: at most 20 citizens per full-time worker, pro rata for part-time workers.
/// Close contact in phase 1 is not possible with more; the check runs before starting or reassigning a course.
/// </summary>
public static class Caseload
{
    public const int MaxCitizensPerFullTimeWorker = 20;

    /// <summary>How many active courses a worker with this full-time equivalent (0–1) may hold, rounded down.</summary>
    public static int LimitFor(decimal fullTimeEquivalent)
    {
        if (fullTimeEquivalent is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(fullTimeEquivalent), "A full-time equivalent is between 0 and 1.");
        }

        return (int)Math.Floor(MaxCitizensPerFullTimeWorker * fullTimeEquivalent);
    }

    /// <summary>Throws if a worker already holding <paramref name="activeCourses"/> courses cannot take one more.</summary>
    public static void EnsureRoomForOneMore(WorkerId worker, int activeCourses, decimal fullTimeEquivalent)
    {
        var limit = LimitFor(fullTimeEquivalent);
        if (activeCourses >= limit)
        {
            throw new CtiRuleViolation(CtiRules.CaseloadFull, $"Worker {worker} already has {activeCourses} of at most {limit} active courses.");
        }
    }
}
