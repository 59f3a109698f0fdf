using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// The durable store's EF Core model, one model for SQLite and PostgreSQL.
/// Naming: lower snake_case tables (<c>wf_*</c>), columns, keys (<c>pk_*</c>) and indexes (<c>ix_*</c>/<c>ux_*</c>), so the
/// same unquoted-or-quoted SQL works on both providers. Instants (<see cref="DateTimeOffset"/>) are stored as a
/// 64-bit integer of UTC ticks (100 ns since 0001-01-01 UTC, as Quartz stores its times): exact, ordered and
/// comparable in SQL on both providers; the offset is not kept (values are read back as UTC).
/// Every table is tenant-owned (<c>tenant_id</c>): EF queries see only the tenant in <see cref="TenantScope"/>; the
/// hand-written SQL of the hot paths writes the instance's tenant and filters reads by the caller's.
/// </summary>
public sealed class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options), ITenantFilteredContext
{
    public string? CurrentTenantId => TenantScope.Current;

    public const string DefinitionsTable = "wf_definitions";
    public const string InstancesTable = "wf_instances";
    public const string BookmarksTable = "wf_bookmarks";
    public const string JournalTable = "wf_journal";
    public const string AlterationPlansTable = "wf_alteration_plans";
    public const string AlterationJobsTable = "wf_alteration_jobs";

    /// <summary>Filters of the partial indexes; quoted because <c>key</c> is a reserved word in SQL Server.</summary>
    internal const string KeyNotNull = "\"key\" IS NOT NULL";
    internal const string CorrelationIdNotNull = "correlation_id IS NOT NULL";
    internal const string DueAtNotNull = "due_at IS NOT NULL";

    public DbSet<DefinitionRow> Definitions => Set<DefinitionRow>();
    public DbSet<InstanceRow> Instances => Set<InstanceRow>();
    public DbSet<BookmarkRow> Bookmarks => Set<BookmarkRow>();
    public DbSet<JournalRow> Journal => Set<JournalRow>();
    public DbSet<AlterationPlanRow> AlterationPlans => Set<AlterationPlanRow>();
    public DbSet<AlterationJobRow> AlterationJobs => Set<AlterationJobRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionRow>(e =>
        {
            e.ToTable(DefinitionsTable);
            e.HasKey(x => x.Id).HasName("pk_wf_definitions");
            // Each municipality numbers its own versions of a definition id (an adopted template keeps the template's id).
            e.HasIndex(x => new { x.TenantId, x.DefinitionId, x.Version }).IsUnique().HasDatabaseName("ux_wf_definitions_tenant_id_definition_id_version");
            e.HasIndex(x => new { x.TenantId, x.IsLatest, x.DefinitionId }).HasDatabaseName("ix_wf_definitions_tenant_id_is_latest_definition_id");
            e.HasIndex(x => new { x.TenantId, x.IsPublished, x.DefinitionId }).HasDatabaseName("ix_wf_definitions_tenant_id_is_published_definition_id");
        });

        modelBuilder.Entity<InstanceRow>(e =>
        {
            e.ToTable(InstancesTable);
            e.HasKey(x => x.Id).HasName("pk_wf_instances");
            e.Property(x => x.ConcurrencyVersion).IsConcurrencyToken();
            e.HasIndex(x => new { x.TenantId, x.DefinitionId }).HasDatabaseName("ix_wf_instances_tenant_id_definition_id");
            // Partial (here and on the bookmarks' key): rows without a value are never looked up through the index (every
            // query compares the column with a value, which implies IS NOT NULL), so they need no entry in it.
            e.HasIndex(x => new { x.TenantId, x.CorrelationId }).HasDatabaseName("ix_wf_instances_tenant_id_correlation_id").HasFilter(CorrelationIdNotNull);
            e.HasIndex(x => new { x.TenantId, x.Status, x.SubStatus }).HasDatabaseName("ix_wf_instances_tenant_id_status_sub_status");
            e.HasIndex(x => new { x.TenantId, x.CreatedAt }).HasDatabaseName("ix_wf_instances_tenant_id_created_at");
        });

        modelBuilder.Entity<BookmarkRow>(e =>
        {
            e.ToTable(BookmarksTable);
            e.HasKey(x => x.Id).HasName("pk_wf_bookmarks");
            // Timer bookmarks have no key and are found by due time: only keyed bookmarks are in the kind/key index.
            e.HasIndex(x => new { x.TenantId, x.Kind, x.Key }).HasDatabaseName("ix_wf_bookmarks_tenant_id_kind_key").HasFilter(KeyNotNull);
            // Partial too: only timers have a due time, and every due-time query compares it with a value or asks for
            // IS NOT NULL; a task's or an event's bookmark is then written to one B-tree fewer.
            e.HasIndex(x => new { x.DueAt, x.Id }).HasDatabaseName("ix_wf_bookmarks_due_at_id").HasFilter(DueAtNotNull);
            e.HasIndex(x => x.InstanceId).HasDatabaseName("ix_wf_bookmarks_instance_id");
            // Partial: only the few claimed rows are in it (the sweep's "when does the next claim expire").
            e.HasIndex(x => x.ClaimedUntil).HasDatabaseName("ix_wf_bookmarks_claimed_until").HasFilter("claimed_until IS NOT NULL");
        });

        modelBuilder.Entity<JournalRow>(e =>
        {
            e.ToTable(JournalTable);
            e.HasKey(x => new { x.InstanceId, x.Sequence }).HasName("pk_wf_journal");
            e.Property(x => x.Sequence).ValueGeneratedNever();
        });

        modelBuilder.Entity<AlterationPlanRow>(e =>
        {
            e.ToTable(AlterationPlansTable);
            e.HasKey(x => x.Id).HasName("pk_wf_alteration_plans");
            e.HasIndex(x => x.Status).HasDatabaseName("ix_wf_alteration_plans_status");
        });

        modelBuilder.Entity<AlterationJobRow>(e =>
        {
            e.ToTable(AlterationJobsTable);
            e.HasKey(x => x.Id).HasName("pk_wf_alteration_jobs");
            e.HasIndex(x => new { x.PlanId, x.InstanceId }).IsUnique().HasDatabaseName("ux_wf_alteration_jobs_plan_id_instance_id");
            e.HasIndex(x => new { x.PlanId, x.Status }).HasDatabaseName("ix_wf_alteration_jobs_plan_id_status");
        });

        modelBuilder.ApplyTenantFilters(this);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>Stores an instant as UTC ticks; reads it back with offset zero.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero))
{
    public static long ToTicks(DateTimeOffset value) => value.UtcTicks;
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}
