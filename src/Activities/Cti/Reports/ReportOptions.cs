using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>Where a threshold comes from: the CTI guide itself, common CTI practice, or a choice this municipality made.</summary>
public enum ThresholdSource
{
    Guide,
    CtiPractice,
    Literature,
    Local,

    /// <summary>Each course's own contact rhythm, as the worker set it (the workflow's values are only defaults).</summary>
    CourseRhythm,
}

/// <summary>One threshold as the report pages show it: key, value as text, and its source.</summary>
public sealed record ReportThreshold(string Key, string Value, ThresholdSource Source);

/// <summary>
/// Every number the outcome and fidelity reports judge by, bound from <c>Exit:Reports</c>. None of them is hidden in code:
/// the pages list each with its value and source (<see cref="Thresholds"/>), so a reader can tell the guide's numbers from
/// local choices.
/// </summary>
public sealed class ReportOptions
{
    public const string Section = "Exit:Reports";

    /// <summary>Citizens per full-time worker (common CTI practice, not the guide's number).</summary>
    public int CaseloadLimitPerFullTime { get; set; } = Caseload.MaxCitizensPerFullTimeWorker;

    /// <summary>WHO-5 score at or below this is the risk zone for stress and depression (WHO-5 literature).</summary>
    public int Who5RiskZoneMax { get; set; } = Who5.RiskZoneThreshold;

    /// <summary>WHO-5 score at or below this is high risk (WHO-5 literature).</summary>
    public int Who5HighRiskMax { get; set; } = Who5.HighRiskThreshold;

    /// <summary>Mean change over the ten life areas that counts as moderate progression (local choice; the evaluation publishes none).</summary>
    public double ModerateMeanChange { get; set; } = LifeSituationProgression.ModerateMeanChange;

    /// <summary>Mean change that counts as large progression (local choice).</summary>
    public double LargeMeanChange { get; set; } = LifeSituationProgression.LargeMeanChange;

    /// <summary>
    /// Expected contacts with the citizen per week in phase 1, 2, 3 when no course reached the phase (weekly, fortnightly,
    /// monthly; local). Otherwise the target is each course's own contact rhythm, weighted by its weeks in the phase.
    /// </summary>
    public double Phase1ContactsPerWeek { get; set; } = 1.0;

    public double Phase2ContactsPerWeek { get; set; } = 0.5;

    public double Phase3ContactsPerWeek { get; set; } = 12.0 / 52.0;

    /// <summary>The taper the rhythm aims at, as contact intervals phase 1 : 2 : 3 (local reading of the guide's "less intensive contact").</summary>
    public double TaperPhase2 { get; set; } = 2.0;

    public double TaperPhase3 { get; set; } = 3.0;

    /// <summary>Handover agreement with the network at least this many months before the end (Danish CTI manual).</summary>
    public int HandoverLeadMonths { get; set; } = 1;

    /// <summary>Supervision sessions of the support-and-contact persons (SKP) held per month (guide: monthly).</summary>
    public int SupervisionPerMonth { get; set; } = 1;

    /// <summary>
    /// Team supervision sessions of the CTI workers held per month (CTI practice: weekly team supervision; four a month
    /// is the weekly rhythm in the shortest month).
    /// </summary>
    public int WorkerSupervisionPerMonth { get; set; } = 4;

    /// <summary>At least this many workers share the work (guide).</summary>
    public int MinimumWorkers { get; set; } = 2;

    /// <summary>Focus areas per phase (guide: "often 3–5").</summary>
    public int FocusAreasMin { get; set; } = 3;

    public int FocusAreasMax { get; set; } = 5;

    /// <summary>The municipality's code or name in the anonymous aggregate export, so an evaluator can merge files (local).</summary>
    public string Municipality { get; set; } = "ukendt";

    /// <summary>
    /// Read every municipality's courses into the report cache once the service has started, so the first report after a
    /// restart does not restore every course while a manager waits.
    /// </summary>
    public bool WarmUpAtStart { get; set; } = true;

    /// <summary>Cells computed from fewer citizens than this are shown as "&lt;5" and left out of exports.</summary>
    public int SuppressBelow { get; set; } = 5;

    /// <summary>Throws on settings that cannot be meant (checked at start-up).</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (CaseloadLimitPerFullTime < 1) problems.Add(nameof(CaseloadLimitPerFullTime));
        if (Who5HighRiskMax < 0 || Who5RiskZoneMax > 100 || Who5HighRiskMax >= Who5RiskZoneMax) problems.Add(nameof(Who5RiskZoneMax));
        if (ModerateMeanChange <= 0 || LargeMeanChange <= ModerateMeanChange) problems.Add(nameof(LargeMeanChange));
        if (Phase1ContactsPerWeek <= 0 || Phase2ContactsPerWeek <= 0 || Phase3ContactsPerWeek <= 0) problems.Add(nameof(Phase1ContactsPerWeek));
        if (HandoverLeadMonths < 0 || HandoverLeadMonths > 3) problems.Add(nameof(HandoverLeadMonths));
        if (SuppressBelow < 1) problems.Add(nameof(SuppressBelow));
        if (FocusAreasMin < 1 || FocusAreasMax < FocusAreasMin) problems.Add(nameof(FocusAreasMax));
        if (problems.Count > 0)
            throw new InvalidOperationException($"Invalid {Section} settings: {string.Join(", ", problems)}.");
    }

    public double ExpectedContactsPerWeek(CoursePeriod phase) => phase switch
    {
        CoursePeriod.Phase1 => Phase1ContactsPerWeek,
        CoursePeriod.Phase2 => Phase2ContactsPerWeek,
        _ => Phase3ContactsPerWeek,
    };

    /// <summary>Every threshold with its source, in the order the pages list them.</summary>
    public IReadOnlyList<ReportThreshold> Thresholds()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return
        [
            new("caseloadLimit", CaseloadLimitPerFullTime.ToString(inv), ThresholdSource.CtiPractice),
            new("who5RiskZone", Who5RiskZoneMax.ToString(inv), ThresholdSource.Literature),
            new("who5HighRisk", Who5HighRiskMax.ToString(inv), ThresholdSource.Literature),
            new("progressionModerate", ModerateMeanChange.ToString("0.0", inv), ThresholdSource.Local),
            new("progressionLarge", LargeMeanChange.ToString("0.0", inv), ThresholdSource.Local),
            new("rhythmPhase1", Phase1ContactsPerWeek.ToString("0.00", inv), ThresholdSource.Local),
            new("rhythmPhase2", Phase2ContactsPerWeek.ToString("0.00", inv), ThresholdSource.Local),
            new("rhythmPhase3", Phase3ContactsPerWeek.ToString("0.00", inv), ThresholdSource.Local),
            new("taper", $"1:{TaperPhase2.ToString("0.#", inv)}:{TaperPhase3.ToString("0.#", inv)}", ThresholdSource.Local),
            new("handoverLead", HandoverLeadMonths.ToString(inv), ThresholdSource.Guide),
            new("supervision", SupervisionPerMonth.ToString(inv), ThresholdSource.Guide),
            new("supervisionWorkers", WorkerSupervisionPerMonth.ToString(inv), ThresholdSource.CtiPractice),
            new("minimumWorkers", MinimumWorkers.ToString(inv), ThresholdSource.Guide),
            new("focusAreas", $"{FocusAreasMin.ToString(inv)}–{FocusAreasMax.ToString(inv)}", ThresholdSource.Guide),
            new("suppressBelow", SuppressBelow.ToString(inv), ThresholdSource.Local),
        ];
    }
}
