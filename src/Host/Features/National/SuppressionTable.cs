namespace Exit.Host.Features.National;

/// <summary>A figure before suppression: its exact value, how many citizens (or courses) it is computed from, and whether it is about citizens at all.</summary>
public sealed record RawCell(double? Value, int N, bool AboutCitizens = true);

/// <summary>Why a cell is hidden: too few citizens (<see cref="Primary"/>), or so that a hidden cell cannot be worked out from the visible ones (<see cref="Secondary"/>).</summary>
public enum Suppression
{
    None,
    Primary,
    Secondary,
}

/// <summary>A cell's address: the figure (row) and the municipality or the total (column).</summary>
public readonly record struct CellId(string Row, string Column);

/// <summary>
/// Small-number protection for a table whose cells are tied by sums (a total is the sum of its parts): primary
/// suppression of every cell from 1–4 citizens, then complementary (secondary) suppression so no hidden cell can be
/// derived by subtracting the visible cells from a total.
/// </summary>
/// <remarks>
/// The rule, repeated until nothing changes: in every relation <c>total = part₁ + … + partₖ</c> where exactly one cell is
/// hidden, hide one more: the smallest visible part that is not empty (n &gt; 0; hiding an empty cell protects nothing,
/// since an empty municipality is visible elsewhere as empty). When that part would be the only one left visible (two
/// municipalities, one of them small), the total is hidden instead: it would say almost the same as that part, and a
/// municipality's own figure is worth more to the reader than a total that is nearly equal to it. A hidden total is
/// always protected by a hidden part. With two hidden
/// cells in a relation a reader learns only their sum. Because a relation may share cells with another (a municipality's
/// status counts sum to its citizens; each figure's municipalities sum to the total), the loop runs until every
/// relation has zero or at least two hidden cells. It only ever hides more, so it ends. This is the classic
/// "next-smallest cell" heuristic of statistical offices (not an optimal solver): it may hide a little more than needed,
/// never less for the relations it is given.
/// </remarks>
public sealed class SuppressionTable
{
    private readonly Dictionary<CellId, RawCell> _cells = [];
    private readonly List<(IReadOnlyList<CellId> Parts, CellId Total)> _relations = [];

    public void Set(CellId id, RawCell cell) => _cells[id] = cell;

    public RawCell this[CellId id] => _cells[id];

    /// <summary>Declares <paramref name="total"/> = Σ <paramref name="parts"/> (counts, and the n and numerators behind shares and means).</summary>
    public void Relate(IReadOnlyList<CellId> parts, CellId total)
    {
        foreach (var id in parts.Append(total))
            if (!_cells.ContainsKey(id)) throw new ArgumentException($"No cell {id} in the table.", nameof(parts));
        _relations.Add((parts, total));
    }

    /// <summary>Which cells are hidden, and why (cells absent from the answer are shown).</summary>
    public IReadOnlyDictionary<CellId, Suppression> Apply(int suppressBelow)
    {
        var hidden = _cells
            .Where(c => c.Value.AboutCitizens && c.Value.N > 0 && c.Value.N < suppressBelow)
            .ToDictionary(c => c.Key, _ => Suppression.Primary);
        bool changed;
        do
        {
            changed = false;
            foreach (var (parts, total) in _relations)
            {
                if (parts.Append(total).Count(hidden.ContainsKey) != 1) continue;
                var visible = parts.Where(p => !hidden.ContainsKey(p) && _cells[p].N > 0).OrderBy(p => _cells[p].N).ToList();
                var totalHideable = !hidden.ContainsKey(total) && _cells[total].N > 0;
                CellId? next = visible.Count switch
                {
                    // A hidden total is protected only by another hidden part.
                    > 0 when hidden.ContainsKey(total) => visible[0],
                    > 1 => visible[0],
                    // One part left beside the hidden one: hide the total rather than that municipality's own figure
                    // (the total would be that figure plus a small number, so it says almost the same).
                    1 => totalHideable ? total : visible[0],
                    _ => totalHideable ? total : null,
                };
                if (next is not { } chosen) continue; // every other cell is empty: nothing left to hide it behind
                hidden[chosen] = Suppression.Secondary;
                changed = true;
            }
        }
        while (changed);

        return hidden;
    }
}
