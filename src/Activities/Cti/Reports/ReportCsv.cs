using System.Globalization;
using System.Text;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// The reports as CSV, one tidy row per figure (section, dimension, value, measure, point, n, figure), so files from
/// several municipalities can be concatenated and compared. A suppressed or empty figure is left out entirely: no row,
/// so neither "&lt;5" nor the number reaches an export. Invariant culture, comma-separated, quoted where needed.
/// </summary>
public static class ReportCsv
{
    public const string Header = "section,dimension,value,measure,point,n,figure";
    public const string AggregateHeader = "municipality,generated,filter," + Header;

    public static string Outcome(CitizenOutcomeReport r) => Write(Header, OutcomeRows(r), prefix: null);

    public static string Fidelity(FidelityReport r) => Write(Header, FidelityRows(r), prefix: null);

    /// <summary>One file for a national evaluator: both reports, every row prefixed with municipality, date and filter.</summary>
    public static string Aggregate(CitizenOutcomeReport outcome, FidelityReport fidelity, string municipality, DateOnly generated, string filter) =>
        Write(AggregateHeader, OutcomeRows(outcome).Concat(FidelityRows(fidelity)),
            [municipality, generated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), filter]);

    private static IEnumerable<(string[] Key, ReportFigure Figure)> OutcomeRows(CitizenOutcomeReport r)
    {
        yield return (["outcome", "all", "", "citizens", ""], r.Citizens);
        yield return (["outcome", "all", "", "completed", ""], r.Status.Completed);
        yield return (["outcome", "all", "", "dropped_out", ""], r.Status.DroppedOut);
        yield return (["outcome", "all", "", "ended_at_clarification", ""], r.Status.EndedAtClarification);
        yield return (["outcome", "all", "", "ongoing", ""], r.Status.Ongoing);
        foreach (var (reason, figure) in r.Status.DropOutReasons) yield return (["outcome", "drop_out_reason", reason, "citizens", ""], figure);
        yield return (["outcome", "all", "", "who5_risk_share_paired", "start"], r.Who5Risk.AtStart);
        yield return (["outcome", "all", "", "who5_risk_share_paired", "end"], r.Who5Risk.AtEnd);
        yield return (["outcome", "all", "", "paid_for_sex_share_paired", "start"], r.PaidForSex.AtStart);
        yield return (["outcome", "all", "", "paid_for_sex_share_paired", "end"], r.PaidForSex.AtEnd);
        yield return (["outcome", "all", "", "progression_moderate_or_large_share", "end"], r.ModerateOrLarge);
        yield return (["outcome", "all", "", "progression_large_share", "end"], r.Large);
        yield return (["outcome", "all", "", "progression_moderate_share", "end"], r.Moderate);
        foreach (var p in r.Points)
        {
            var point = p.Point.ToString();
            yield return (["outcome", "all", "", "who5_mean", point], p.Who5Mean);
            yield return (["outcome", "all", "", "who5_risk_share", point], p.Who5RiskShare);
            yield return (["outcome", "all", "", "paid_for_sex_share", point], p.PaidForSexShare);
            yield return (["outcome", "all", "", "life_situation_mean", point], p.LifeSituationMean);
            yield return (["outcome", "all", "", "progression_moderate_or_large_share", point], p.ModerateOrLargeSinceStart);
            foreach (var (area, figure) in p.AreaMeans) yield return (["outcome", "life_area", area.ToString(), "mean", point], figure);
        }

        foreach (var b in r.Breakdowns)
        {
            yield return (["outcome", b.Dimension, b.Value, "citizens", ""], b.Citizens);
            yield return (["outcome", b.Dimension, b.Value, "completed", ""], b.Completed);
            yield return (["outcome", b.Dimension, b.Value, "dropped_out", ""], b.DroppedOut);
            yield return (["outcome", b.Dimension, b.Value, "ongoing", ""], b.Ongoing);
            yield return (["outcome", b.Dimension, b.Value, "who5_risk_share_paired", "start"], b.Who5RiskAtStart);
            yield return (["outcome", b.Dimension, b.Value, "who5_risk_share_paired", "end"], b.Who5RiskAtEnd);
            yield return (["outcome", b.Dimension, b.Value, "paid_for_sex_share_paired", "start"], b.PaidAtStart);
            yield return (["outcome", b.Dimension, b.Value, "paid_for_sex_share_paired", "end"], b.PaidAtEnd);
            yield return (["outcome", b.Dimension, b.Value, "progression_moderate_or_large_share", "end"], b.ModerateOrLarge);
        }
    }

    private static IEnumerable<(string[] Key, ReportFigure Figure)> FidelityRows(FidelityReport r)
    {
        foreach (var i in r.Items) yield return (["fidelity", "item", i.Key, $"target {i.Target} ({i.Source})", ""], i.Figure);
        foreach (var p in r.Phases)
        {
            yield return (["fidelity", "phase", p.Phase.ToString(), "contacts_per_week", ""], p.ContactsPerWeek);
            yield return (["fidelity", "phase", p.Phase.ToString(), "contacts_per_week_by_rhythm", ""], p.ContactsPerWeek.Suppressed
                ? new ReportFigure(null, p.ContactsPerWeek.N, true) : new ReportFigure(p.ExpectedContactsPerWeek, p.ContactsPerWeek.N, false));
            yield return (["fidelity", "phase", p.Phase.ToString(), "coordination_share", ""], p.CoordinationShare);
            yield return (["fidelity", "phase", p.Phase.ToString(), "focus_areas_mean", ""], p.FocusAreasMean);
        }

        foreach (var m in r.Caseload)
        {
            var month = m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            yield return (["fidelity", "month", month, "active_courses", ""], new ReportFigure(m.ActiveCourses, m.Workers, false));
            yield return (["fidelity", "month", month, "capacity", ""], new ReportFigure(m.Capacity, m.Workers, false));
            yield return (["fidelity", "month", month, "workers_over_limit", ""], new ReportFigure(m.WorkersOverLimit, m.Workers, false));
        }

        foreach (var m in r.Supervision)
        {
            var month = m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            yield return (["fidelity", "month", month, "supervision_sessions_workers", ""], new ReportFigure(m.Workers, 1, false));
            yield return (["fidelity", "month", month, "supervision_sessions_support_persons", ""], new ReportFigure(m.SupportPersons, 1, false));
        }
    }

    private static string Write(string header, IEnumerable<(string[] Key, ReportFigure Figure)> rows, string[]? prefix)
    {
        var sb = new StringBuilder().Append(header).Append('\n');
        foreach (var (key, figure) in rows)
        {
            if (figure.Csv is not { } value) continue;
            var fields = (prefix ?? []).Concat(key).Append(figure.N.ToString(CultureInfo.InvariantCulture)).Append(value);
            sb.AppendJoin(',', fields.Select(Quote)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Quotes a field with a comma, quote or line break; a leading =, +, - or @ is prefixed so a spreadsheet never runs it.</summary>
    private static string Quote(string field)
    {
        if (field.Length > 0 && "=+@".Contains(field[0], StringComparison.Ordinal)) field = "'" + field;
        return field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
