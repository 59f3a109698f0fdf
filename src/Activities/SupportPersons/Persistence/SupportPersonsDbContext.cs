using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.SupportPersons.Persistence;

/// <summary>
/// The support-and-contact-person scheme's tables: the register, referrals, matches and the supervision series with their
/// sessions and attendance. Own hand-written migrations (SQLite and PostgreSQL share them) and history table, so the module
/// migrates independently of the CTI store. Calendar dates are <c>yyyy-MM-dd</c> text (Copenhagen dates, sortable);
/// instants are UTC ticks, as in the other stores.
/// </summary>
public sealed class SupportPersonsDbContext(DbContextOptions<SupportPersonsDbContext> options) : DbContext(options), ITenantFilteredContext
{
    public const string MigrationsHistoryTable = "__SupportPersonsMigrationsHistory";
    public const string SupportPersonsTable = "SkpSupportPersons";
    public const string ReferralsTable = "SkpReferrals";
    public const string MatchesTable = "SkpMatches";
    public const string SeriesTable = "SkpSupervisionSeries";
    public const string SessionsTable = "SkpSupervisionSessions";
    public const string AttendanceTable = "SkpSupervisionAttendance";

    public string? CurrentTenantId => TenantScope.Current;

    public DbSet<SupportPersonRecord> SupportPersons => Set<SupportPersonRecord>();
    public DbSet<ReferralRecord> Referrals => Set<ReferralRecord>();
    public DbSet<MatchRecord> Matches => Set<MatchRecord>();
    public DbSet<SupervisionSeriesRecord> Series => Set<SupervisionSeriesRecord>();
    public DbSet<SupervisionSessionRecord> Sessions => Set<SupervisionSessionRecord>();
    public DbSet<SupervisionAttendanceRecord> Attendance => Set<SupervisionAttendanceRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTimeOffset>().HaveConversion<Exit.Activities.HumanTasks.UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SupportPersonRecord>(e =>
        {
            e.ToTable(SupportPersonsTable);
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).IsConcurrencyToken();
            // A user account is linked to one SKP within its municipality; teams are a municipality's own.
            e.HasIndex(x => new { x.TenantId, x.UserName }).IsUnique().HasDatabaseName("IX_SkpSupportPersons_UserName");
            e.HasIndex(x => new { x.TenantId, x.Team }).HasDatabaseName("IX_SkpSupportPersons_Team");
        });
        model.Entity<ReferralRecord>(e =>
        {
            e.ToTable(ReferralsTable);
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CourseId).HasDatabaseName("IX_SkpReferrals_CourseId");
        });
        model.Entity<MatchRecord>(e =>
        {
            e.ToTable(MatchesTable);
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.SupportPersonId).HasDatabaseName("IX_SkpMatches_SupportPersonId");
            e.HasIndex(x => x.CourseId).HasDatabaseName("IX_SkpMatches_CourseId");
        });
        model.Entity<SupervisionSeriesRecord>(e =>
        {
            e.ToTable(SeriesTable);
            e.HasKey(x => x.Id);
            // One series per team, one worker series, in each municipality: the key makes a second one impossible,
            // also under concurrency.
            e.HasIndex(x => new { x.TenantId, x.SeriesKey }).IsUnique().HasDatabaseName("IX_SkpSupervisionSeries_SeriesKey");
        });
        model.Entity<SupervisionSessionRecord>(e =>
        {
            e.ToTable(SessionsTable);
            e.HasKey(x => x.Id);
            // One session per series and period, whoever plans it and however often.
            e.HasIndex(x => new { x.SeriesId, x.PeriodStart }).IsUnique().HasDatabaseName("IX_SkpSupervisionSessions_Series_Period");
        });
        model.Entity<SupervisionAttendanceRecord>(e =>
        {
            e.ToTable(AttendanceTable);
            e.HasKey(x => new { x.SessionId, x.SupportPersonId });
        });

        model.ApplyTenantFilters(this);
    }
}

/// <summary>One SKP: profile, agreement, confidentiality declaration, status, and the optional user account she signs in with.</summary>
public sealed class SupportPersonRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string DisplayName { get; set; }
    public required string Team { get; set; }
    public required string LanguagesJson { get; set; }
    public required string AgreementStart { get; set; }
    public int HoursPerWeek { get; set; }
    public required string AcuteAvailability { get; set; }
    public string? ConfidentialitySignedOn { get; set; }
    public required string Status { get; set; }
    public string? UserName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>A worker's referral of a citizen's course to the scheme; <see cref="MatchId"/> once an SKP is matched.</summary>
public sealed class ReferralRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string CourseId { get; set; }
    public required string CitizenId { get; set; }
    public required string ReferredBy { get; set; }
    public DateTimeOffset ReferredAt { get; set; }
    public string? MatchId { get; set; }
}

/// <summary>An SKP matched to a citizen's course: start, agreed hours a week, end; the SKP's member id in the course network.</summary>
public sealed class MatchRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string SupportPersonId { get; set; }
    public required string CourseId { get; set; }
    public required string CitizenId { get; set; }
    public required string NetworkMemberId { get; set; }
    public required string StartOn { get; set; }
    public int HoursPerWeek { get; set; }
    public string? EndOn { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A supervision series: an SKP team's monthly supervision, or the workers' at their cadence.</summary>
public sealed class SupervisionSeriesRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }

    /// <summary><c>team:&lt;name&gt;</c> or <c>workers</c>: unique.</summary>
    public required string SeriesKey { get; set; }
    public required string Kind { get; set; }
    public string? Team { get; set; }
    public required string Cadence { get; set; }
    public required string Format { get; set; }
    public required string FirstPeriod { get; set; }
    public bool Active { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One session of a series in one period (month, week or fortnight).</summary>
public sealed class SupervisionSessionRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string SeriesId { get; set; }
    public required string PeriodStart { get; set; }
    public DateTimeOffset PlannedAt { get; set; }
    public required string Status { get; set; }
    public required string Format { get; set; }
    public string? HeldOn { get; set; }
    public string? RecordedBy { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
}

/// <summary>Whether one SKP took part in a session, and the psychologist's note for her (read by the psychologist and her only).</summary>
public sealed class SupervisionAttendanceRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string SessionId { get; set; }
    public required string SupportPersonId { get; set; }
    public bool Attended { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Where the scheme's tables live: the application's database.</summary>
public sealed class SupportPersonsStoreOptions : ModuleStoreOptions;

/// <summary>Makes <see cref="SupportPersonsDbContext"/>s (history table <c>__SupportPersonsMigrationsHistory</c>).</summary>
public sealed class SupportPersonsDbContextFactory(SupportPersonsStoreOptions options)
    : ModuleDbContextFactory<SupportPersonsDbContext>(options, SupportPersonsDbContext.MigrationsHistoryTable);
