using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Staff users and roles (ASP.NET Core Identity, schema version 1), API keys and the audit log, in the
/// service's own database. Migrations are hand-written (Auth/Migrations), one set for SQLite and PostgreSQL,
/// with their own history table. Municipalities live here too: each user belongs to one (a shadow column on the
/// user table, <see cref="UserMunicipalities"/>), and API keys and audit entries are municipality-owned rows
/// (<see cref="ITenantOwned"/>), filtered by the municipality in scope.
/// </summary>
public sealed class ExitIdentityDbContext(DbContextOptions<ExitIdentityDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options), IDataProtectionKeyContext, ITenantFilteredContext
{
    public const string MigrationsHistoryTable = "__ExitIdentityMigrationsHistory";
    public const string ApiKeysTable = "ExitApiKeys";
    public const string AuditTable = "ExitAuditEntries";
    public const string AuditAnchorsTable = "ExitAuditAnchors";
    public const string DataProtectionKeysTable = "ExitDataProtectionKeys";
    public const string MunicipalitiesTable = "ExitMunicipalities";

    public string? CurrentTenantId => TenantScope.Current;

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditAnchor> AuditAnchors => Set<AuditAnchor>();
    public DbSet<Municipality> Municipalities => Set<Municipality>();

    /// <summary>The data-protection key ring (cookies, antiforgery, bearer tokens), shared by every host on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        // Every timestamp (Identity's LockoutEnd included) as UTC ticks: ordered and range-searchable on SQLite,
        // and no offset rules to meet on PostgreSQL.
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcTicks>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ApiKeyRecord>(t =>
        {
            t.ToTable(ApiKeysTable);
            t.HasKey(k => k.Id);
            t.Property(k => k.Id).HasMaxLength(64);
            t.Property(k => k.Hash).HasMaxLength(64);
            t.Property(k => k.Prefix).HasMaxLength(16);
            t.Property(k => k.Name).HasMaxLength(200);
            t.Property(k => k.OwnerUserId).HasMaxLength(450);
            t.Property(k => k.OwnerName).HasMaxLength(256);
            t.Property(k => k.Roles).HasMaxLength(200);
            t.Property(k => k.CreatedBy).HasMaxLength(256);
            t.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("IX_ExitApiKeys_Hash");
        });

        builder.Entity<AuditEntry>(t =>
        {
            t.ToTable(AuditTable);
            t.HasKey(a => a.Id);
            t.Property(a => a.Id).ValueGeneratedOnAdd();
            t.Property(a => a.UserId).HasMaxLength(450);
            t.Property(a => a.UserName).HasMaxLength(256);
            t.Property(a => a.Action).HasConversion<string>().HasMaxLength(16);
            t.Property(a => a.ResourceType).HasMaxLength(64);
            t.Property(a => a.ResourceId).HasMaxLength(200);
            t.Property(a => a.CitizenId).HasMaxLength(200);
            t.Property(a => a.Purpose).HasMaxLength(500);
            t.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
            t.Property(a => a.Ip).HasMaxLength(64);
            t.Property(a => a.ApiKeyId).HasMaxLength(64);
            t.Property(a => a.Hash).HasMaxLength(64);
            t.HasIndex(a => a.At).HasDatabaseName("IX_ExitAuditEntries_At");
            t.HasIndex(a => new { a.CitizenId, a.At }).HasDatabaseName("IX_ExitAuditEntries_CitizenId_At");
            t.HasIndex(a => new { a.UserId, a.At }).HasDatabaseName("IX_ExitAuditEntries_UserId_At");
        });

        builder.Entity<AuditAnchor>(t =>
        {
            t.ToTable(AuditAnchorsTable);
            t.HasKey(a => a.Id);
            t.Property(a => a.Id).ValueGeneratedOnAdd();
            t.Property(a => a.LastRemovedHash).HasMaxLength(64);
        });

        builder.Entity<DataProtectionKey>(t => t.ToTable(DataProtectionKeysTable));

        builder.Entity<Municipality>(t =>
        {
            t.ToTable(MunicipalitiesTable);
            t.HasKey(m => m.Id);
            t.Property(m => m.Id).HasMaxLength(TenantIds.MaxLength);
            t.Property(m => m.Name).HasMaxLength(Municipality.MaxNameLength);
        });

        // The user's municipality: a shadow column, so Identity's own user type (and every UserManager) stays as it is.
        // Null for national users, who belong to none.
        builder.Entity<IdentityUser>(t =>
        {
            t.Property<string?>(UserMunicipalities.Column).HasMaxLength(TenantIds.MaxLength);
            t.HasIndex(UserMunicipalities.Column).HasDatabaseName("IX_AspNetUsers_MunicipalityId");
        });
        builder.Entity<ApiKeyRecord>().HasIndex(k => k.TenantId).HasDatabaseName("IX_ExitApiKeys_TenantId");
        // Per municipality and lane, newest first: a chain's last hash is one probe, and verification finds the lanes in
        // use with one probe each.
        builder.Entity<AuditEntry>().HasIndex(a => new { a.TenantId, a.Lane, a.Id }).HasDatabaseName("IX_ExitAuditEntries_TenantId_Lane_Id");
        // A lane's newest anchor: one probe.
        builder.Entity<AuditAnchor>().HasIndex(a => new { a.TenantId, a.Lane, a.Id }).HasDatabaseName("IX_ExitAuditAnchors_TenantId_Lane_Id");

        builder.ApplyTenantFilters(this); // last: API keys and audit entries are seen only in their municipality
    }

    /// <summary>DateTimeOffset ⇄ UTC ticks; reads back at offset zero.</summary>
    public sealed class UtcTicks() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>
/// An API key: only its SHA-256 is stored; the key itself is shown once, at creation. It belongs to the municipality
/// it was created in (its owner's): requests with it run in that municipality.
/// </summary>
public sealed class ApiKeyRecord : ITenantOwned
{
    public string TenantId { get; set; } = "";


    public required string Id { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole key text.</summary>
    public required string Hash { get; init; }

    /// <summary>The first characters of the key, so an admin can tell keys apart in a list.</summary>
    public required string Prefix { get; init; }

    public required string Name { get; init; }

    /// <summary>The staff user the key acts for (its audit identity), or null for a service key.</summary>
    public string? OwnerUserId { get; init; }

    public required string OwnerName { get; init; }

    /// <summary>Comma-separated <see cref="ExitRoles"/>.</summary>
    public required string Roles { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
