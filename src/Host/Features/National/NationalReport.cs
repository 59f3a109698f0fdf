using Exit.Activities.Cti.Domain;

namespace Exit.Host.Features.National;

/// <summary>How a figure is combined into the total: counts add; shares add numerator and n; means add sum and n; rates are computed over all municipalities' courses at once.</summary>
public enum FigureKind
{
    Count,
    Share,
    Mean,
    Rate,
}

/// <summary>The national report: per municipality and in total, anonymous aggregates only, every cell protected.</summary>
public sealed record NationalReport(
    DateTimeOffset GeneratedAt,
    NationalFilter Filter,
    int SuppressBelow,
    string SuppressionRule,
    IReadOnlyList<NationalMunicipality> Municipalities,
    IReadOnlyList<NationalRow> Rows);

/// <summary>The filters a national reader has: the period of the course start and the goal (team and worker are local and never leave a municipality).</summary>
public sealed record NationalFilter(int? Year, int? Quarter, CourseGoal? Goal);

public sealed record NationalMunicipality(string Id, string Name);

/// <summary>One figure: its cell per municipality (in <see cref="NationalReport.Municipalities"/> order) and the total.</summary>
public sealed record NationalRow(string Key, string Section, FigureKind Kind, IReadOnlyList<NationalCell> Cells, NationalCell Total);

/// <summary>
/// A shown cell. A hidden cell has neither value nor n (the n of a small group is itself the small number); its
/// <see cref="Display"/> is "&lt;5" when it is from 1–4 citizens and "skjult" when it is hidden to protect another.
/// </summary>
public sealed record NationalCell(string Municipality, double? Value, int? N, string Display, Suppression Suppression)
{
    public const string TotalColumn = "total";
    public const string SmallText = "<5";
    public const string HiddenText = "skjult";
}
