using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Workflows.Definitions.Templates;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.Municipalities;

/// <summary>
/// The municipalities of the installation, managed by the national role: list, and create one (id slug and name).
/// A new municipality adopts the template library inside its own scope. Creating is audited (in the national scope).
/// </summary>
public sealed class MunicipalityAdministration(
    ExitIdentityDbContext db, DefinitionTemplates templates, IAuditLog audit, TimeProvider clock, ILogger<MunicipalityAdministration> logger)
{
    public const string ResourceType = "municipality";

    public sealed record MunicipalitySummary(string Id, string Name, DateTimeOffset CreatedAt, int Users);

    public async Task<List<MunicipalitySummary>> ListAsync(CancellationToken ct)
    {
        var municipalities = await db.Municipalities.AsNoTracking().OrderBy(m => m.Id).ToListAsync(ct);
        var counts = await db.Users.AsNoTracking().GroupBy(u => EF.Property<string?>(u, UserMunicipalities.Column))
            .Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(ct);
        return [.. municipalities.Select(m => new MunicipalitySummary(m.Id, m.Name, m.CreatedAt, counts.FirstOrDefault(c => c.Id == m.Id)?.Count ?? 0))];
    }

    /// <exception cref="RequestValidationException">a malformed or reserved id, a missing or too long name.</exception>
    /// <exception cref="MunicipalityExistsException">the id is taken.</exception>
    public async Task<MunicipalitySummary> CreateAsync(string? id, string? name, CancellationToken ct)
    {
        id = id?.Trim();
        name = name?.Trim();
        var failures = new List<ValidationFailure>();
        if (!TenantIds.IsValid(id))
            failures.Add(new("id", $"A municipality id is lower-case letters, digits and '-' (not first or last), at most {TenantIds.MaxLength} characters."));
        else if (id == TenantIds.Templates)
            failures.Add(new("id", $"'{TenantIds.Templates}' is the template library's id, not a municipality's."));
        if (string.IsNullOrEmpty(name)) failures.Add(new("name", "A name is required."));
        else if (name.Length > Municipality.MaxNameLength) failures.Add(new("name", $"At most {Municipality.MaxNameLength} characters."));
        if (failures.Count > 0) throw new RequestValidationException(failures);

        if (await db.Municipalities.AnyAsync(m => m.Id == id, ct)) throw new MunicipalityExistsException(id!);
        var municipality = new Municipality { Id = id!, Name = name!, CreatedAt = clock.GetUtcNow() };
        db.Municipalities.Add(municipality);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(municipality).State = EntityState.Detached;
            if (await db.Municipalities.AsNoTracking().AnyAsync(m => m.Id == id, ct))
                throw new MunicipalityExistsException(id!); // created at the same moment by another request
            throw;
        }

        await AdoptTemplatesAsync(municipality.Id, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, municipality.Id, Purpose: "created"), ct: CancellationToken.None);
        logger.LogInformation("Municipality {TenantId} created", municipality.Id);
        return new MunicipalitySummary(municipality.Id, municipality.Name, municipality.CreatedAt, 0);
    }

    /// <summary>A new municipality adopts the national template library: its definitions become its own first versions.</summary>
    private async Task AdoptTemplatesAsync(string municipalityId, CancellationToken ct)
    {
        using var _ = TenantScope.Enter(municipalityId);
        await templates.AdoptMissingAsync(ct);
    }
}

/// <summary>A municipality with this id exists already (409).</summary>
public sealed class MunicipalityExistsException(string id) : Exception($"A municipality with id '{id}' exists already.")
{
    public string Id { get; } = id;
}
