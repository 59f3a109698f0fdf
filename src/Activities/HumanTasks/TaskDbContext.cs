using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Task tables, shared by SQLite and PostgreSQL with one hand-written migration set
/// (<see cref="Migrations"/>; history in <see cref="MigrationsHistoryTable"/>). Instants are stored as UTC ticks
/// (<c>long</c>) so range filters and ORDER BY translate identically on both providers.
/// </summary>
public sealed class TaskDbContext(DbContextOptions<TaskDbContext> options) : DbContext(options), ITenantFilteredContext
{
    public const string MigrationsHistoryTable = "__TaskMigrationsHistory";
    public const string TasksTable = "HumanTasks";
    public const string AssignmentsTable = "HumanTaskAssignments";

    public string? CurrentTenantId => TenantScope.Current;

    /// <summary>Filters of the partial indexes (quoted: the columns are PascalCase).</summary>
    internal const string RoleNotNull = "\"Role\" IS NOT NULL";
    internal const string CorrelationIdNotNull = "\"CorrelationId\" IS NOT NULL";

    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<TaskAssignment> Assignments => Set<TaskAssignment>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<TaskRecord>(t =>
        {
            t.ToTable(TasksTable);
            t.HasKey(x => x.Id);
            t.Property(x => x.Status).HasConversion<string>();
            t.Property(x => x.Version).IsConcurrencyToken();
            // Every list runs inside one municipality: the tenant leads the list and overdue indexes.
            t.HasIndex(x => new { x.TenantId, x.Status, x.DueOrder, x.Id }).HasDatabaseName("IX_HumanTasks_Status_DueOrder");
            // Not partial: the team queue (open, unassigned, in due order) seeks its rows here with Assignee IS NULL.
            t.HasIndex(x => new { x.TenantId, x.Assignee, x.Status, x.DueOrder, x.Id }).HasDatabaseName("IX_HumanTasks_Assignee_Status_DueOrder");
            // Partial: every query on the role or the correlation id compares it with a value (a list filter, the team
            // queue's roles, a course's tasks), which implies IS NOT NULL; a task without one (an assigned task of no
            // role, a task of no course) is then written to fewer B-trees at its start and its completion.
            t.HasIndex(x => new { x.TenantId, x.Role, x.Status, x.DueOrder, x.Id }).HasDatabaseName("IX_HumanTasks_Role_Status_DueOrder").HasFilter(RoleNotNull);
            t.HasIndex(x => x.CorrelationId).HasDatabaseName("IX_HumanTasks_CorrelationId").HasFilter(CorrelationIdNotNull);
            t.HasIndex(x => x.InstanceId).HasDatabaseName("IX_HumanTasks_InstanceId");
            t.HasMany(x => x.Assignments).WithOne().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<TaskAssignment>(a =>
        {
            a.ToTable(AssignmentsTable);
            a.HasKey(x => x.Id);
            a.Property(x => x.Id).ValueGeneratedOnAdd();
            a.HasIndex(x => x.TaskId).HasDatabaseName("IX_HumanTaskAssignments_TaskId");
        });

        model.ApplyTenantFilters(this);
    }
}

/// <summary>DateTimeOffset ⇄ UTC ticks. Order-preserving (unlike EF's DateTimeOffsetToBinaryConverter); reads back at offset zero.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
