using Exit.Host.Ui;

namespace Exit.Host.Features.National;

/// <summary>The national page's words, Danish first (CTI terms as the guide words them); English with <c>?lang=en</c>.</summary>
public static class NationalText
{
    private static readonly Dictionary<string, (string Da, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["title"] = ("Nationale tal", "National figures"),
        ["intro"] = ("Resultater og metodetroskab pr. kommune og i alt. Kun anonyme samlede tal: ingen borgere, medarbejdere eller teams.",
            "Outcomes and fidelity per municipality and in total. Anonymous aggregates only: no citizens, workers or teams."),
        ["countingRule"] = ("Hver borger tælles én gang i sin kommune, ved sit seneste fulde forløb. Totalen lægger kommunernes tal sammen; kontakter pr. uge og andelen af koordinerende kontakter beregnes over alle kommunernes forløb samlet.",
            "Each citizen counts once in their municipality, by their latest full course. The total adds the municipalities' figures; contacts per week and the coordination share are computed over all municipalities' courses together."),
        ["rule"] = (NationalReportBuilder.SuppressionRule,
            "Figures from 1–4 citizens are shown as \"<5\" without value or n. Where a total or a sum (the municipalities make the total; " +
            "completed, dropped out, ended at the clarification and ongoing make the citizens) would otherwise give a hidden figure away, the " +
            "next-smallest cell is hidden too, or the total when only one other cell is left (\"skjult\"), so no hidden figure can be worked " +
            "out by subtracting the shown ones."),
        ["total"] = ("I alt", "Total"),
        ["figure"] = ("Tal", "Figure"),
        ["outcome"] = ("Resultater", "Outcomes"),
        ["fidelity"] = ("Metodetroskab", "Fidelity"),
        ["suppression"] = ("Små tal", "Small numbers"),
        ["hidden"] = ("\"skjult\" betyder: skjult, så et tal under 5 ikke kan regnes ud.", "\"skjult\" means: hidden so that a figure under 5 cannot be worked out."),
        ["noMunicipalities"] = ("Der er ingen kommuner endnu.", "There are no municipalities yet."),
        ["year"] = ("Startår", "Start year"),
        ["quarter"] = ("Kvartal", "Quarter"),
        ["goal"] = ("Mål", "Goal"),
        ["outcome.citizens"] = ("Borgere i opgørelsen", "Citizens in the report"),
        ["outcome.completed"] = ("Gennemført", "Completed"),
        ["outcome.droppedOut"] = ("Afbrudt", "Dropped out"),
        ["outcome.endedAtClarification"] = ("Afsluttet ved afklaringen", "Ended at the clarification"),
        ["outcome.ongoing"] = ("I gang", "Ongoing"),
        ["outcome.who5RiskPaired.start"] = ("WHO-5 i risikozonen ved start (målt ved start og slut)", "WHO-5 risk zone at start (measured at start and end)"),
        ["outcome.who5RiskPaired.end"] = ("WHO-5 i risikozonen ved slut (målt ved start og slut)", "WHO-5 risk zone at end (measured at start and end)"),
        ["outcome.paidForSexPaired.start"] = ("Betaling for sex seneste måned ved start (målt ved start og slut)", "Paid for sex last month at start (measured at start and end)"),
        ["outcome.paidForSexPaired.end"] = ("Betaling for sex seneste måned ved slut (målt ved start og slut)", "Paid for sex last month at end (measured at start and end)"),
        ["outcome.progressionModerateOrLarge"] = ("Moderat eller stor progression i livssituationen", "Moderate or large life-situation progression"),
        ["outcome.who5Risk.Start"] = ("WHO-5 i risikozonen: start", "WHO-5 risk zone: start"),
        ["outcome.who5Risk.ToPhase2"] = ("WHO-5 i risikozonen: skift til fase 2", "WHO-5 risk zone: change to phase 2"),
        ["outcome.who5Risk.ToPhase3"] = ("WHO-5 i risikozonen: skift til fase 3", "WHO-5 risk zone: change to phase 3"),
        ["outcome.who5Risk.End"] = ("WHO-5 i risikozonen: slut", "WHO-5 risk zone: end"),
        ["outcome.paidForSex.Start"] = ("Betaling for sex seneste måned: start", "Paid for sex last month: start"),
        ["outcome.paidForSex.ToPhase2"] = ("Betaling for sex seneste måned: skift til fase 2", "Paid for sex last month: change to phase 2"),
        ["outcome.paidForSex.ToPhase3"] = ("Betaling for sex seneste måned: skift til fase 3", "Paid for sex last month: change to phase 3"),
        ["outcome.paidForSex.End"] = ("Betaling for sex seneste måned: slut", "Paid for sex last month: end"),
        ["outcome.who5Mean.Start"] = ("WHO-5, gennemsnitlig score: start", "WHO-5 mean score: start"),
        ["outcome.who5Mean.ToPhase2"] = ("WHO-5, gennemsnitlig score: skift til fase 2", "WHO-5 mean score: change to phase 2"),
        ["outcome.who5Mean.ToPhase3"] = ("WHO-5, gennemsnitlig score: skift til fase 3", "WHO-5 mean score: change to phase 3"),
        ["outcome.who5Mean.End"] = ("WHO-5, gennemsnitlig score: slut", "WHO-5 mean score: end"),
        ["outcome.lifeSituationMean.Start"] = ("Livssituationen, gennemsnit over de ti livsområder: start", "Life situation, mean over the ten areas: start"),
        ["outcome.lifeSituationMean.ToPhase2"] = ("Livssituationen, gennemsnit over de ti livsområder: skift til fase 2", "Life situation, mean over the ten areas: change to phase 2"),
        ["outcome.lifeSituationMean.ToPhase3"] = ("Livssituationen, gennemsnit over de ti livsområder: skift til fase 3", "Life situation, mean over the ten areas: change to phase 3"),
        ["outcome.lifeSituationMean.End"] = ("Livssituationen, gennemsnit over de ti livsområder: slut", "Life situation, mean over the ten areas: end"),
        ["fidelity.contactsPerWeek.Phase1"] = ("Kontakter med borgeren pr. uge, fase 1", "Contacts per week, phase 1"),
        ["fidelity.contactsPerWeek.Phase2"] = ("Kontakter med borgeren pr. uge, fase 2", "Contacts per week, phase 2"),
        ["fidelity.contactsPerWeek.Phase3"] = ("Kontakter med borgeren pr. uge, fase 3", "Contacts per week, phase 3"),
        ["fidelity.coordinationShare.Phase1"] = ("Andel koordinerende kontakter, fase 1", "Share of coordination contacts, phase 1"),
        ["fidelity.coordinationShare.Phase2"] = ("Andel koordinerende kontakter, fase 2", "Share of coordination contacts, phase 2"),
        ["fidelity.coordinationShare.Phase3"] = ("Andel koordinerende kontakter, fase 3", "Share of coordination contacts, phase 3"),
        ["fidelity.handoverOnTime"] = ("Aftale med netværket mindst en måned før slut (andel gennemførte forløb)", "Network agreement at least one month before the end"),
        ["fidelity.caseloadWithinLimit"] = ("Sagsbelastning inden for grænsen (andel medarbejder-måneder)", "Caseload within the limit (share of worker-months)"),
        ["fidelity.workersSharing"] = ("Mindst to CTI-medarbejdere deler arbejdet (andel måneder)", "At least two workers share the work (share of months)"),
        ["fidelity.supervisionWorkers"] = ("Supervision af CTI-medarbejderne afholdt som planlagt (andel måneder)", "Workers' supervision held as planned (share of months)"),
        ["fidelity.supervisionSupportPersons"] = ("Supervision af støtte- og kontaktpersoner afholdt hver måned (andel måneder)", "Support persons' supervision held every month (share of months)"),
    };

    public static string Get(string key) => Texts.TryGetValue(key, out var t) ? (UiCulture.IsEnglish ? t.En : t.Da) : key;

    /// <summary>Every figure has a label (checked by the tests).</summary>
    public static bool Has(string key) => Texts.ContainsKey(key);
}
