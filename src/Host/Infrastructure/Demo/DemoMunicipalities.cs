using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Demo;

/// <summary>
/// The demo's two municipalities and how their users are named: København is the first municipality (<c>default</c>,
/// users <c>…@exit.demo</c>), Aarhus has the same set as <c>…@aarhus.exit.demo</c>; the national role's user is
/// <c>national@exit.demo</c> and belongs to neither.
/// </summary>
public static class DemoMunicipalities
{
    public const string Aarhus = "aarhus";
    public const string NationalUser = "national@exit.demo";

    public static readonly IReadOnlyList<(string Id, string Name)> All = [(TenantIds.Default, "København"), (Aarhus, "Aarhus")];

    /// <summary>A demo user's e-mail in <paramref name="municipality"/>: <c>medarbejder1@exit.demo</c>, <c>medarbejder1@aarhus.exit.demo</c>.</summary>
    public static string Email(string localPart, string municipality) =>
        municipality == TenantIds.Default ? $"{localPart}@exit.demo" : $"{localPart}@{municipality}.exit.demo";
}
