namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>
/// A municipality (the runtime's tenant): its id is the tenant id stamped on every row it owns (<c>default</c>,
/// <c>aarhus</c>), its name is what people read. The national template library (<c>national</c>) is no municipality.
/// </summary>
public sealed class Municipality
{
    public const int MaxNameLength = 200;

    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
