using System.Text.RegularExpressions;

namespace Exit.Workflows.Tenancy;

/// <summary>Tenant ids: short lower-case slugs (<c>default</c>, <c>aarhus</c>), stored in every tenant-owned row.</summary>
public static partial class TenantIds
{
    /// <summary>
    /// The first tenant: what a database from before tenancy becomes (its rows are migrated to it), and the one tenant
    /// of an embedded installation that never creates another.
    /// </summary>
    public const string Default = "default";

    /// <summary>
    /// The shared template library: definitions every tenant may adopt as its own. It owns no citizen data; the
    /// national role works in it.
    /// </summary>
    public const string Templates = "national";

    public const int MaxLength = 40;

    public static bool IsValid(string? id) => id is not null && id.Length <= MaxLength && Slug().IsMatch(id);

    public static void Validate(string tenantId)
    {
        if (!IsValid(tenantId))
            throw new ArgumentException($"'{tenantId}' is not a tenant id (lower-case letters, digits and '-', at most {MaxLength}).", nameof(tenantId));
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex Slug();
}
