using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Exit.Host.Infrastructure.Database;

/// <summary>
/// The SQL Server contexts exactly as the Host composes them (the same options code), for <c>dotnet ef migrations add</c>
/// (which needs no engine: the connection is never opened) and for the tests that script and diff the SQL Server
/// migration sets. Regenerate a set with, e.g.:
/// <c>dotnet ef migrations add Name --project src/Workflows --startup-project src/Host --context WorkflowDbContext
/// --output-dir Persistence/Migrations/SqlServer</c> (see README, "SQL Server").
/// </summary>
public static class SqlServerDesignTime
{
    /// <summary>A connection string that is never opened (generation and scripting do not connect).</summary>
    public const string UnopenedConnectionString = "Server=sqlserver.invalid;Database=exit;Integrated Security=false;TrustServerCertificate=true";

    public static DatabaseOptions Options(string? connectionString = null) =>
        new() { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString ?? UnopenedConnectionString };

    public static WorkflowDbContext Workflows(string? connectionString = null)
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        builder.UseExitDatabase(Options(connectionString));
        return new WorkflowDbContext(builder.Options);
    }

    public static TaskDbContext Tasks(string? connectionString = null) =>
        new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString ?? UnopenedConnectionString }).Create();

    public static CtiDbContext Cti(string? connectionString = null) =>
        new CtiDbContextFactory(new CtiStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString ?? UnopenedConnectionString }).Create();

    public static SupportPersonsDbContext SupportPersons(string? connectionString = null) =>
        new SupportPersonsDbContextFactory(new SupportPersonsStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString ?? UnopenedConnectionString }).Create();

    public static ExitIdentityDbContext Identity(string? connectionString = null)
    {
        var builder = new DbContextOptionsBuilder<ExitIdentityDbContext>();
        ExitAuthentication.Configure(builder, Options(connectionString));
        return new ExitIdentityDbContext(builder.Options);
    }

    /// <summary>Every EF context the Host composes, on SQL Server.</summary>
    public static IReadOnlyList<Func<string?, DbContext>> AllContexts { get; } =
        [Workflows, Tasks, Cti, SupportPersons, Identity];
}

// The factories `dotnet ef` looks for in the startup project (src/Host). Nothing at run time uses them.
internal sealed class WorkflowSqlServerDesignTimeFactory : IDesignTimeDbContextFactory<WorkflowDbContext>
{
    public WorkflowDbContext CreateDbContext(string[] args) => SqlServerDesignTime.Workflows();
}

internal sealed class TaskSqlServerDesignTimeFactory : IDesignTimeDbContextFactory<TaskDbContext>
{
    public TaskDbContext CreateDbContext(string[] args) => SqlServerDesignTime.Tasks();
}

internal sealed class CtiSqlServerDesignTimeFactory : IDesignTimeDbContextFactory<CtiDbContext>
{
    public CtiDbContext CreateDbContext(string[] args) => SqlServerDesignTime.Cti();
}

internal sealed class SupportPersonsSqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SupportPersonsDbContext>
{
    public SupportPersonsDbContext CreateDbContext(string[] args) => SqlServerDesignTime.SupportPersons();
}

internal sealed class IdentitySqlServerDesignTimeFactory : IDesignTimeDbContextFactory<ExitIdentityDbContext>
{
    public ExitIdentityDbContext CreateDbContext(string[] args) => SqlServerDesignTime.Identity();
}
