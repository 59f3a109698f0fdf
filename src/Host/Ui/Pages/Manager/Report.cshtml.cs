using Exit.Host.Infrastructure.Audit;
using System.Globalization;
using System.Text;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// The outcome report (Exit Prostitution's figures) with server-rendered SVG charts — WHO-5 risk zone and paid for sex
/// at start vs end, life-situation progression and mean rating per life area — and a CSV export. Aggregates only.
/// </summary>
public sealed class ReportModel(CtiQueries cti, UiQueries queries, TargetGroupService targetGroup, UiAccess access, UiText text) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool CompletedOnly { get; set; }

    public OutcomeReport? Report { get; private set; }
    public IReadOnlyList<UiLifeAreaMeans> Areas { get; private set; } = [];

    /// <summary>The target group (descriptors of citizens with a course): per descriptor, value → count ("" = not recorded).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> TargetGroup { get; private set; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    /// <summary>A count as shown: 1–4 as "&lt;5", so no one can be recognised.</summary>
    public static string Suppressed(int count) => IntakeRegister.Cell(0, "", "", count).Display;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await access.RecordAsync(User, AuditAction.Read, "outcome-report", null, "management", ct);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await access.RecordAsync(User, AuditAction.Export, "outcome-report", null, "management", ct);
        var r = Report!;
        var csv = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        csv.AppendLine("measure,measured,not_measured,at_start,at_end,share_at_start,share_at_end");
        Line("who5_risk_zone", r.Who5RiskZone);
        Line("paid_for_sex_last_month", r.PaidForSex);
        csv.AppendLine(inv, $"life_situation_progression,{r.LifeSituation.Measured},{r.LifeSituation.NotMeasured},,,,");
        csv.AppendLine(inv, $"progression_large,{r.LifeSituation.Large},,,,,");
        csv.AppendLine(inv, $"progression_moderate,{r.LifeSituation.Moderate},,,,,");
        csv.AppendLine(inv, $"progression_none_or_negative,{r.LifeSituation.NoneOrNegative},,,,,");
        csv.AppendLine(inv, $"progression_moderate_or_large_share,{Share(r.LifeSituation.ShareModerateOrLarge)},,,,,");
        csv.AppendLine();
        csv.AppendLine("life_area,courses,mean_at_start,mean_at_end");
        foreach (var a in Areas) csv.AppendLine(inv, $"{a.Area},{a.Courses},{a.Start.ToString("0.00", inv)},{a.End.ToString("0.00", inv)}");
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "exit-outcome-report.csv");

        void Line(string name, PairedShare s) =>
            csv.AppendLine(inv, $"{name},{s.Measured},{s.NotMeasured},{s.AtStart},{s.AtEnd},{Share(s.ShareAtStart)},{Share(s.ShareAtEnd)}");
        static string Share(double? v) => v is { } d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "";
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Report = await cti.OutcomeReportAsync(new OutcomeReportFilter(null, CompletedOnly), ct);
        Areas = await queries.LifeAreaMeansAsync(ct);
        TargetGroup = await targetGroup.CountsAsync(ct);
    }

    public static string Pct(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.CurrentCulture) + " %" : "–";

    /// <summary>Paired bars (start, end) per measure as SVG; values are shares 0–1 (or scaled to <paramref name="max"/>).</summary>
    public string BarChart(string id, IReadOnlyList<(string Label, double? Start, double? End)> rows, double max, Func<double?, string> label)
    {
        const int rowHeight = 56, labelWidth = 330, barMax = 360, top = 28;
        var height = top + rows.Count * rowHeight + 8;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {labelWidth + barMax + 80} {height}\" width=\"{labelWidth + barMax + 80}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title\">");
        sb.Append(inv, $"<title id=\"{id}-title\">{Enc(string.Join("; ", rows.Select(r => $"{r.Label}: {text["report.start"]} {label(r.Start)}, {text["report.end"]} {label(r.End)}")))}</title>");
        sb.Append(inv, $"<rect x=\"{labelWidth}\" y=\"6\" width=\"12\" height=\"12\" fill=\"#8c959f\"/><text x=\"{labelWidth + 16}\" y=\"16\" font-size=\"12\">{Enc(text["report.start"])}</text>");
        sb.Append(inv, $"<rect x=\"{labelWidth + 80}\" y=\"6\" width=\"12\" height=\"12\" fill=\"#0b5cad\"/><text x=\"{labelWidth + 96}\" y=\"16\" font-size=\"12\">{Enc(text["report.end"])}</text>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (name, start, end) = rows[i];
            var y = top + i * rowHeight;
            sb.Append(inv, $"<text x=\"0\" y=\"{y + 24}\" font-size=\"13\">{Enc(name)}</text>");
            Bar(y + 4, start, "#8c959f");
            Bar(y + 26, end, "#0b5cad");
        }

        sb.Append("</svg>");
        return sb.ToString();

        void Bar(int y, double? value, string fill)
        {
            var w = value is { } v && max > 0 ? Math.Max(1, v / max * barMax) : 0;
            sb.Append(inv, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{w.ToString("0.0", inv)}\" height=\"18\" fill=\"{fill}\"/>");
            sb.Append(inv, $"<text x=\"{(labelWidth + w + 6).ToString("0.0", inv)}\" y=\"{y + 14}\" font-size=\"12\">{Enc(label(value))}</text>");
        }
    }

    private static string Enc(string s) => System.Net.WebUtility.HtmlEncode(s);
}
