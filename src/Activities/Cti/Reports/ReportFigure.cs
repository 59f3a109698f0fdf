using System.Globalization;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// One figure of a report: its value (null: nothing measured), the number of citizens it is computed from, and whether
/// it is suppressed. A figure from 1–4 citizens could point at a person, so it is shown as "&lt;5" and never exported;
/// its value is dropped here, not only hidden by the page, so no caller can leak it.
/// </summary>
public sealed record ReportFigure(double? Value, int N, bool Suppressed)
{
    public const string SuppressedText = "<5";

    public static ReportFigure Of(double? value, int n, int suppressBelow) =>
        n > 0 && n < suppressBelow ? new(null, n, true) : new(n == 0 ? null : value, n, false);

    /// <summary>A count of citizens is itself a cell: a count of 1–4 is suppressed.</summary>
    public static ReportFigure Count(int count, int suppressBelow) => count == 0 ? new(0, 0, false) : Of(count, count, suppressBelow);

    /// <summary>A share numerator / denominator of citizens; its n is the denominator.</summary>
    public static ReportFigure Share(int numerator, int denominator, int suppressBelow) =>
        Of(denominator == 0 ? null : numerator / (double)denominator, denominator, suppressBelow);

    public static ReportFigure Mean(IReadOnlyCollection<double> values, int suppressBelow) =>
        Of(values.Count == 0 ? null : values.Average(), values.Count, suppressBelow);

    /// <summary>How the page shows it: "&lt;5", "–" for no data, else formatted.</summary>
    public string Display(Func<double, string> format) => Suppressed ? SuppressedText : Value is { } v ? format(v) : "–";

    public string Percent => Display(v => (v * 100).ToString("0", CultureInfo.GetCultureInfo("da-DK")) + " %");

    public string Decimal1 => Display(v => v.ToString("0.0", CultureInfo.GetCultureInfo("da-DK")));

    public string Decimal2 => Display(v => v.ToString("0.00", CultureInfo.GetCultureInfo("da-DK")));

    public string Whole => Display(v => v.ToString("0", CultureInfo.GetCultureInfo("da-DK")));

    /// <summary>For CSV: invariant culture; null when suppressed or empty (the row is then left out).</summary>
    public string? Csv => Suppressed || Value is null ? null : Value.Value.ToString("0.####", CultureInfo.InvariantCulture);
}
