using Exit.Host.Features.National;

namespace Exit.Host.Tests.National;

/// <summary>
/// Small-number protection of the national table: cells from 1–4 citizens are hidden, and no hidden cell can be worked
/// out from a total and the visible cells (complementary suppression).
/// </summary>
public sealed class SuppressionTableTests
{
    private const string Row = "outcome.citizens";

    [Fact]
    public void TwoMunicipalities_OneSmall_HidesItAndTheTotal_KeepsTheOthersOwnFigure()
    {
        var (table, _) = Column(("kbh", 12), ("aarhus", 3));

        var hidden = table.Apply(5);

        Assert.Equal(Suppression.Primary, hidden[Id("aarhus")]);
        // 15 − 12 would give Aarhus' 3: the total goes, Copenhagen's own 12 stays.
        Assert.Equal(Suppression.Secondary, hidden[Id(NationalCell.TotalColumn)]);
        Assert.False(hidden.ContainsKey(Id("kbh")));
    }

    [Fact]
    public void ThreeMunicipalities_OneSmall_HidesTheNextSmallestMunicipality_KeepsTheTotal()
    {
        var (table, _) = Column(("kbh", 40), ("aarhus", 3), ("odense", 9));

        var hidden = table.Apply(5);

        Assert.Equal(Suppression.Primary, hidden[Id("aarhus")]);
        Assert.Equal(Suppression.Secondary, hidden[Id("odense")]);
        Assert.Equal(2, hidden.Count); // the total (52) and Copenhagen (40) stay: 52 − 40 = 12 is only Aarhus + Odense together
    }

    [Fact]
    public void AnEmptyMunicipalityIsNeverTheCellAHiddenOneHidesBehind()
    {
        var (table, _) = Column(("kbh", 40), ("aarhus", 3), ("odense", 0), ("vejle", 20));

        var hidden = table.Apply(5);

        Assert.False(hidden.ContainsKey(Id("odense"))); // 0 stays 0: hiding it would protect nothing
        Assert.Equal(Suppression.Secondary, hidden[Id("vejle")]);
    }

    [Fact]
    public void OneMunicipality_BelowFive_ItsTotalIsBelowFiveToo()
    {
        var (table, _) = Column(("kbh", 4));

        var hidden = table.Apply(5);

        Assert.Equal(Suppression.Primary, hidden[Id("kbh")]);
        Assert.Equal(Suppression.Primary, hidden[Id(NationalCell.TotalColumn)]);
    }

    [Fact]
    public void NothingSmall_NothingHidden_ZerosIncluded()
    {
        var (table, _) = Column(("kbh", 12), ("aarhus", 0), ("odense", 5));

        Assert.Empty(table.Apply(5));
    }

    [Fact]
    public void NotAboutCitizens_IsNeverHiddenForBeingSmall()
    {
        var table = new SuppressionTable();
        table.Set(Id("kbh"), new RawCell(0.5, 2, AboutCitizens: false));
        table.Set(Id(NationalCell.TotalColumn), new RawCell(0.5, 2, AboutCitizens: false));
        table.Relate([Id("kbh")], Id(NationalCell.TotalColumn));

        Assert.Empty(table.Apply(5));
    }

    /// <summary>
    /// A two-way table (municipalities × status, with both margins): hiding a cell to protect its row can leave its column
    /// with one hidden cell, so the protection must go round until every sum is safe.
    /// </summary>
    [Fact]
    public void TwoWayTable_EverySumEndsWithNoneOrAtLeastTwoHiddenCells()
    {
        string[] statuses = ["completed", "droppedOut", "ongoing"];
        var counts = new Dictionary<string, int[]> { ["kbh"] = [30, 3, 12], ["aarhus"] = [8, 6, 9], ["odense"] = [2, 7, 20] };
        var table = new SuppressionTable();
        var relations = new List<(CellId[] Parts, CellId Total)>();
        foreach (var (m, values) in counts)
        {
            for (var s = 0; s < statuses.Length; s++) table.Set(new(statuses[s], m), new RawCell(values[s], values[s]));
            table.Set(new("citizens", m), new RawCell(values.Sum(), values.Sum()));
        }

        foreach (var row in statuses.Append("citizens"))
        {
            var sum = counts.Keys.Sum(m => (int)table[new(row, m)].Value!);
            table.Set(new(row, NationalCell.TotalColumn), new RawCell(sum, sum));
            relations.Add((counts.Keys.Select(m => new CellId(row, m)).ToArray(), new(row, NationalCell.TotalColumn)));
        }

        foreach (var column in counts.Keys.Append(NationalCell.TotalColumn))
            relations.Add((statuses.Select(s => new CellId(s, column)).ToArray(), new("citizens", column)));
        foreach (var (parts, total) in relations) table.Relate(parts, total);

        var hidden = table.Apply(5);

        Assert.Equal(Suppression.Primary, hidden[new("droppedOut", "kbh")]);
        Assert.Equal(Suppression.Primary, hidden[new("completed", "odense")]);
        Assert.Equal(2, hidden.Values.Count(v => v == Suppression.Primary));
        foreach (var (parts, total) in relations)
        {
            var count = parts.Append(total).Count(hidden.ContainsKey);
            Assert.True(count != 1, $"{total.Row}/{total.Column}: exactly one hidden cell could be derived");
        }

        // Brute force: with the visible cells fixed, the hidden ones can take other values (each still ≥ 0) and every
        // sum still holds, so no hidden cell is determined by the table.
        foreach (var cell in hidden.Keys)
            Assert.True(HasAnotherSolution(table, relations, hidden.Keys.ToList(), cell), $"{cell} can be derived");
    }

    /// <summary>Whether the hidden cells can be changed so that <paramref name="target"/> differs and every sum still holds.</summary>
    private static bool HasAnotherSolution(SuppressionTable table, List<(CellId[] Parts, CellId Total)> relations, List<CellId> hidden, CellId target)
    {
        // A ±1 swap around a cycle of hidden cells keeps all sums: search small changes of every hidden cell.
        var values = hidden.ToDictionary(h => h, h => (int)table[h].Value!);
        var deltas = new[] { -1, 0, 1 };
        foreach (var combination in Combinations(hidden.Count, deltas))
        {
            if (combination[hidden.IndexOf(target)] == 0) continue;
            var changed = hidden.Select((h, i) => (h, v: values[h] + combination[i])).ToDictionary(x => x.h, x => x.v);
            if (changed.Values.Any(v => v < 0)) continue;
            int Value(CellId id) => changed.TryGetValue(id, out var v) ? v : (int)table[id].Value!;
            if (relations.All(r => r.Parts.Sum(Value) == Value(r.Total))) return true;
        }

        return false;
    }

    private static IEnumerable<int[]> Combinations(int length, int[] choices)
    {
        if (length == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Combinations(length - 1, choices))
        foreach (var c in choices)
            yield return [.. rest, c];
    }

    private static CellId Id(string column) => new(Row, column);

    private static (SuppressionTable Table, int Total) Column(params (string Municipality, int Count)[] cells)
    {
        var table = new SuppressionTable();
        foreach (var (m, count) in cells) table.Set(Id(m), new RawCell(count, count));
        var total = cells.Sum(c => c.Count);
        table.Set(Id(NationalCell.TotalColumn), new RawCell(total, total));
        table.Relate(cells.Select(c => Id(c.Municipality)).ToList(), Id(NationalCell.TotalColumn));
        return (table, total);
    }
}
