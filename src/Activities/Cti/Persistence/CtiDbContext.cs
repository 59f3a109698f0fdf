using Exit.Activities.HumanTasks;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Persistence;

/// <summary>
/// CTI tables (citizens, courses, evaluations), shared by SQLite and PostgreSQL with one hand-written migration
/// set (<see cref="Migrations"/>; history in <see cref="MigrationsHistoryTable"/>). Instants are UTC ticks, as in
/// the task store. A course row is the projection of the course the workflow keeps in its <c>CtiCourse</c>
/// variable: written only by <see cref="CtiCommitParticipant"/> in the instance's commit.
/// </summary>
public sealed class CtiDbContext(DbContextOptions<CtiDbContext> options) : DbContext(options), ITenantFilteredContext
{
    public const string MigrationsHistoryTable = "__CtiMigrationsHistory";
    public const string CitizensTable = "CtiCitizens";
    public const string CoursesTable = "CtiCourses";
    public const string EvaluationsTable = "CtiEvaluations";
    public const string EnquiriesTable = "CtiEnquiries";
    public const string ContactsTable = "CtiContacts";
    public const string StaffingTable = "CtiWorkerStaffing";

    public string? CurrentTenantId => TenantScope.Current;

    public DbSet<CitizenRecord> Citizens => Set<CitizenRecord>();
    public DbSet<CourseRecord> Courses => Set<CourseRecord>();
    public DbSet<EvaluationRecord> Evaluations => Set<EvaluationRecord>();
    public DbSet<EnquiryRecord> Enquiries => Set<EnquiryRecord>();
    public DbSet<ContactRecord> Contacts => Set<ContactRecord>();
    public DbSet<StaffingRecord> Staffing => Set<StaffingRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<CitizenRecord>(c =>
        {
            c.ToTable(CitizensTable);
            c.HasKey(x => x.Id);
        });
        model.Entity<CourseRecord>(c =>
        {
            c.ToTable(CoursesTable);
            c.HasKey(x => x.Id);
            c.HasIndex(x => new { x.ResponsibleWorker, x.Status }).HasDatabaseName("IX_CtiCourses_Worker_Status");
            c.HasIndex(x => x.CitizenId).HasDatabaseName("IX_CtiCourses_CitizenId");
        });
        model.Entity<EvaluationRecord>(e =>
        {
            e.ToTable(EvaluationsTable);
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CourseId).HasDatabaseName("IX_CtiEvaluations_CourseId");
        });
        model.Entity<EnquiryRecord>(e =>
        {
            e.ToTable(EnquiriesTable);
            e.HasKey(x => x.Id);
            // The intake list and table read one municipality's enquiries by date.
            e.HasIndex(x => new { x.TenantId, x.ReceivedOn }).HasDatabaseName("IX_CtiEnquiries_ReceivedOn");
        });
        model.Entity<ContactRecord>(c =>
        {
            c.ToTable(ContactsTable);
            c.HasKey(x => new { x.ContactId, x.Revision });
            c.HasIndex(x => new { x.CourseId, x.StartedAt }).HasDatabaseName("IX_CtiContacts_Course_StartedAt");
        });
        model.Entity<StaffingRecord>(s =>
        {
            s.ToTable(StaffingTable);
            s.HasKey(x => x.Id);
            // A worker's staffing history is kept per municipality.
            s.HasIndex(x => new { x.TenantId, x.WorkerId, x.ValidFrom }).IsUnique().HasDatabaseName("IX_CtiWorkerStaffing_Worker_From");
        });

        model.ApplyTenantFilters(this);
    }
}

/// <summary>A citizen: alias (may be made up) and the protected CPR number, if any. Never logged.</summary>
public sealed class CitizenRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string Alias { get; set; }
    public string? ProtectedCpr { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Target-group descriptors (enum names; null: not recorded). For aggregate reports only.
    public string? AgeBand { get; set; }
    public string? Gender { get; set; }
    public string? ProstitutionForm { get; set; }
    public string? MainIncome { get; set; }
    public string? Debt { get; set; }
    public string? MentalHealth { get; set; }
    public string? SubstanceUse { get; set; }
    public string? InterpreterNeeded { get; set; }
}

/// <summary>
/// An enquiry or referral before any course (intake): when, through which channel, anonymous or under an alias, the
/// decision and the course it led to. Channel and decision are enum names.
/// </summary>
public sealed class EnquiryRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public DateTimeOffset ReceivedOn { get; set; }
    public required string Channel { get; set; }
    public bool Anonymous { get; set; }
    public string? Alias { get; set; }
    public string? Decision { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? CourseId { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Header columns for lists and caseload counts, plus the whole course as JSON.</summary>
public sealed class CourseRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string CitizenId { get; set; }
    public required string InstanceId { get; set; }
    public required string ResponsibleWorker { get; set; }
    public required string Status { get; set; }
    public required string CurrentPeriod { get; set; }
    public DateTimeOffset StartDate { get; set; }
    public DateTimeOffset PlannedEnd { get; set; }
    public required string StateJson { get; set; }
    public long Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One recorded evaluation; scores are computed by the system from the items.</summary>
public sealed class EvaluationRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string CourseId { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset Date { get; set; }
    public string? Who5ItemsJson { get; set; }
    public int? Who5Score { get; set; }
    public string? PaidForSexFrequency { get; set; }
    public string? LifeSituationJson { get; set; }
    public int? LifeSituationTotal { get; set; }
    public string? RecordedBy { get; set; }
}

/// <summary>
/// One revision of a logged contact (a correction adds a revision; none is overwritten). Participants and focus
/// areas as JSON arrays; the note is a case note (see the confidentiality rule in the Host).
/// </summary>
public sealed class ContactRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string ContactId { get; set; }
    public int Revision { get; set; }
    public required string CourseId { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int DurationMinutes { get; set; }
    public required string Place { get; set; }
    public required string WorkersJson { get; set; }
    public required string NetworkMemberIdsJson { get; set; }
    public required string FocusAreasJson { get; set; }
    public string? Note { get; set; }
    public bool WithCitizen { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// A worker's team and full-time equivalent (in percent, so both databases store an integer) from <see cref="ValidFrom"/>
/// until the worker's next row: the history the caseload-against-limit figure needs. Rows are added, never changed.
/// </summary>
public sealed class StaffingRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string WorkerId { get; set; }
    public required string Team { get; set; }
    public int FtePercent { get; set; }
    public DateTimeOffset ValidFrom { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
