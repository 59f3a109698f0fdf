using System.Globalization;
using System.Net;
using System.Text;
using Exit.Activities.Cti.Reports;

namespace Exit.Host.Features.Reports;

/// <summary>One group of bars: a label and one figure per series.</summary>
public sealed record ChartRow(string Label, IReadOnlyList<ReportFigure> Values);

/// <summary>
/// Server-rendered horizontal grouped bar charts. Each chart is an <c>svg role="img"</c> whose <c>title</c> is the text
/// alternative (every label and value spelled out), and is followed on the page by the same figures as a table. A
/// suppressed value is drawn as no bar with the label "&lt;5"; no data as "–". Colours work in black-and-white print.
/// </summary>
public static class SvgChart
{
    private static readonly string[] Fills = ["#8c959f", "#5b8fd0", "#0b5cad", "#06325f"];

    public static string Bars(string id, string caption, IReadOnlyList<string> series, IReadOnlyList<ChartRow> rows, double max, Func<ReportFigure, string> format)
    {
        const int barHeight = 16, gap = 4, labelWidth = 300, barMax = 360, top = 30;
        var groupHeight = series.Count * (barHeight + gap) + 12;
        var height = top + rows.Count * groupHeight + 4;
        var width = labelWidth + barMax + 90;
        var inv = CultureInfo.InvariantCulture;
        var alt = string.Join("; ", rows.Select(r => $"{r.Label}: " + string.Join(", ", series.Select((s, i) => $"{s} {format(r.Values[i])}"))));
        var sb = new StringBuilder();
        sb.Append(inv, $"<figure class=\"chart-figure\"><svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title\">");
        sb.Append(inv, $"<title id=\"{id}-title\">{Enc(caption)}: {Enc(alt)}</title>");
        for (var i = 0; i < series.Count; i++)
        {
            var x = labelWidth + i * 110;
            sb.Append(inv, $"<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{Fills[i % Fills.Length]}\"/><text x=\"{x + 16}\" y=\"16\" font-size=\"12\">{Enc(series[i])}</text>");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var y0 = top + r * groupHeight;
            sb.Append(inv, $"<text x=\"0\" y=\"{y0 + groupHeight / 2}\" font-size=\"13\">{Enc(rows[r].Label)}</text>");
            for (var i = 0; i < series.Count; i++)
            {
                var figure = rows[r].Values[i];
                var y = y0 + i * (barHeight + gap);
                var w = figure.Value is { } v && max > 0 ? Math.Max(1, Math.Min(v, max) / max * barMax) : 0;
                sb.Append(inv, $"<rect class=\"bar\" data-value=\"{(figure.Value is { } dv ? dv.ToString("0.####", inv) : "")}\" x=\"{labelWidth}\" y=\"{y}\" width=\"{w.ToString("0.0", inv)}\" height=\"{barHeight}\" fill=\"{Fills[i % Fills.Length]}\"/>");
                sb.Append(inv, $"<text x=\"{(labelWidth + w + 6).ToString("0.0", inv)}\" y=\"{y + 12}\" font-size=\"12\">{Enc(format(figure))}</text>");
            }
        }

        sb.Append("</svg>");
        sb.Append(inv, $"<figcaption>{Enc(caption)}</figcaption></figure>");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
