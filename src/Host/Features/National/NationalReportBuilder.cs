using Exit.Activities.Cti.Reports;

namespace Exit.Host.Features.National;

/// <summary>
/// Builds the national table from the municipalities' exact figures: the totals, then small-number protection over all
/// cells at once (<see cref="SuppressionTable"/>), then what may be shown. Pure: the tests feed it figures and compare.
/// </summary>
public static class NationalReportBuilder
{
    public const string SuppressionRule =
        "Tal fra 1–4 borgere vises som \"<5\" uden værdi og n. Hvor en total eller en sum (kommunerne giver totalen; " +
        "gennemførte, afbrudte, afsluttede ved afklaringen og igangværende giver antallet af borgere) ellers ville afsløre et skjult tal, " +
        "skjules også den næstmindste celle, eller totalen når der kun er én anden celle (\"skjult\"), så intet skjult tal " +
        "kan regnes ud ved at trække de viste fra.";

    /// <param name="municipalities">Each municipality's reports, computed with suppression off.</param>
    /// <param name="pooled">The fidelity report over every municipality's courses together, suppression off: the total of the per-week rates.</param>
    public static NationalReport Build(
        IReadOnlyList<NationalFigures.Municipality> municipalities, FidelityReport pooled, NationalFilter filter, int suppressBelow, DateTimeOffset now)
    {
        var table = new SuppressionTable();
        var columns = municipalities.Select(m => m.Info.Id).ToList();
        foreach (var figure in NationalFigures.All)
        {
            var cells = municipalities.Select(m => NationalFigures.Read(figure, m.Outcome, m.Fidelity)).ToList();
            for (var i = 0; i < cells.Count; i++) table.Set(new CellId(figure.Key, columns[i]), cells[i]);
            var total = figure.Kind == FigureKind.Rate
                ? NationalFigures.Read(figure, EmptyOutcome, pooled) with { N = cells.Sum(c => c.N) }
                : NationalFigures.Combine(figure, cells);
            table.Set(new CellId(figure.Key, NationalCell.TotalColumn), total);
            table.Relate(columns.Select(c => new CellId(figure.Key, c)).ToList(), new CellId(figure.Key, NationalCell.TotalColumn));
        }

        foreach (var column in columns.Append(NationalCell.TotalColumn))
            table.Relate(NationalFigures.StatusParts.Select(k => new CellId(k, column)).ToList(), new CellId(NationalFigures.Citizens, column));

        var hidden = table.Apply(suppressBelow);
        NationalCell Cell(NationalFigures.Figure figure, string column)
        {
            var id = new CellId(figure.Key, column);
            var raw = table[id];
            return hidden.GetValueOrDefault(id) switch
            {
                Suppression.Primary => new NationalCell(column, null, null, NationalCell.SmallText, Suppression.Primary),
                Suppression.Secondary => new NationalCell(column, null, null, NationalCell.HiddenText, Suppression.Secondary),
                _ => Shown(figure, column, raw),
            };
        }

        var rows = NationalFigures.All
            .Select(f => new NationalRow(f.Key, f.Section, f.Kind, columns.Select(c => Cell(f, c)).ToList(), Cell(f, NationalCell.TotalColumn)))
            .ToList();
        return new NationalReport(now, filter, suppressBelow, SuppressionRule, municipalities.Select(m => m.Info).ToList(), rows);
    }

    /// <summary>A count of none is 0; a share or rate over none has no value ("–").</summary>
    private static NationalCell Shown(NationalFigures.Figure figure, string column, RawCell raw)
    {
        var value = raw.N == 0 && figure.Kind != FigureKind.Count ? null : raw.Value;
        return new NationalCell(column, value, raw.N, NationalFigures.Format(figure.Kind, figure.Key, value), Suppression.None);
    }

    /// <summary>The pooled fidelity report is read for rates only; the outcome side is never touched for them.</summary>
    private static readonly CitizenOutcomeReport EmptyOutcome = OutcomeCalculator.Compute([], new ReportFilter(), new ReportOptions { SuppressBelow = 1 });
}
