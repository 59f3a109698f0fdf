using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Configuration;
using Exit.Host.Infrastructure.Database;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.SqlServer;

/// <summary>
/// SQL Server without an engine: every context the Host composes, built by the Host's own options code with the provider
/// switched to SQL Server, runs only the SQL Server migration set; that set scripts the whole model (every table, column,
/// key, index and foreign key, the tenancy columns included) and matches the model (no pending changes). Nothing here opens
/// a connection; the tests that need a server are in <see cref="SqlServerEngineTests"/>.
/// </summary>
public sealed class SqlServerMigrationTests
{
    private const string SqlServerInitial = "20261210050000_SqlServerInitial";

    public static TheoryData<string> Contexts => ["Workflows", "Tasks", "Cti", "SupportPersons", "Identity"];

    private static DbContext SqlServerContext(string name) => name switch
    {
        "Workflows" => SqlServerDesignTime.Workflows(),
        "Tasks" => SqlServerDesignTime.Tasks(),
        "Cti" => SqlServerDesignTime.Cti(),
        "SupportPersons" => SqlServerDesignTime.SupportPersons(),
        "Identity" => SqlServerDesignTime.Identity(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static DbContext SqliteContext(string name)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=never-opened.db" };
        switch (name)
        {
            case "Workflows":
                var workflows = new DbContextOptionsBuilder<WorkflowDbContext>();
                workflows.UseExitDatabase(options);
                return new WorkflowDbContext(workflows.Options);
            case "Tasks": return new TaskDbContextFactory(new HumanTaskStoreOptions { ConnectionString = options.ConnectionString }).Create();
            case "Cti": return new CtiDbContextFactory(new CtiStoreOptions { ConnectionString = options.ConnectionString }).Create();
            case "SupportPersons": return new SupportPersonsDbContextFactory(new SupportPersonsStoreOptions { ConnectionString = options.ConnectionString }).Create();
            case "Identity":
                var identity = new DbContextOptionsBuilder<ExitIdentityDbContext>();
                ExitAuthentication.Configure(identity, options);
                return new ExitIdentityDbContext(identity.Options);
            default: throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_host_composition_switched_to_SqlServer_builds_a_SqlServer_context(string context)
    {
        using var db = SqlServerContext(context);
        Assert.True(db.Database.IsSqlServer(), $"{context}: {db.Database.ProviderName}");
    }

    [Fact]
    public void The_configuration_switch_selects_SqlServer_and_requires_a_connection_string()
    {
        var options = new DatabaseSettings { Provider = "sqlserver", ConnectionString = "Server=db;Database=exit" }.ToDatabaseOptions("/tmp");
        Assert.Equal(DatabaseProvider.SqlServer, options.Provider);
        Assert.Equal("Server=db;Database=exit", options.ConnectionString);

        var missing = Assert.Throws<InvalidOperationException>(() => new DatabaseSettings { Provider = "SqlServer" }.ToDatabaseOptions("/tmp"));
        Assert.Contains("Exit:Database:ConnectionString", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Each_provider_runs_only_its_own_migration_set(string context)
    {
        List<string> own;
        using (var sqlServer = SqlServerContext(context))
            own = sqlServer.Database.GetMigrations().ToList();
        Assert.Equal(SqlServerInitial, own[0]);

        using var sqlite = SqliteContext(context);
        var shared = sqlite.Database.GetMigrations().ToList();
        Assert.NotEmpty(shared);
        // Later SQL Server migrations (a model change after the initial set) stay in SQL Server's own set.
        Assert.Empty(own.Intersect(shared));
        // The shared set has no snapshot; SQL Server's does, and SQLite must not see it.
        Assert.Null(sqlite.GetService<IMigrationsAssembly>().ModelSnapshot);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_SqlServer_model_has_no_changes_its_migrations_lack(string context)
    {
        using var db = SqlServerContext(context);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{context}: the model differs from the SQL Server snapshot; add a migration (README, \"SQL Server\").");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_SqlServer_script_creates_every_table_column_key_index_and_foreign_key(string context)
    {
        using var db = SqlServerContext(context);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var model = db.GetService<IDesignTimeModel>().Model;
        var missing = new List<string>();
        foreach (var table in model.GetRelationalModel().Tables)
        {
            var name = table.Name;
            if (!script.Contains($"CREATE TABLE [{name}] (", StringComparison.Ordinal)) missing.Add($"table {name}");
            foreach (var column in table.Columns)
            {
                if (!script.Contains($"[{column.Name}] {column.StoreType}{(column.IsNullable ? " NULL" : " NOT NULL")}", StringComparison.Ordinal))
                    missing.Add($"column {name}.{column.Name} {column.StoreType}");
            }
            if (table.PrimaryKey is { } pk && !script.Contains($"CONSTRAINT [{pk.Name}] PRIMARY KEY ({Columns(pk.Columns)})", StringComparison.Ordinal))
                missing.Add($"primary key {pk.Name}");
            foreach (var fk in table.ForeignKeyConstraints)
            {
                if (!script.Contains($"CONSTRAINT [{fk.Name}] FOREIGN KEY ({Columns(fk.Columns)}) REFERENCES [{fk.PrincipalTable.Name}]", StringComparison.Ordinal))
                    missing.Add($"foreign key {fk.Name}");
            }
            foreach (var index in table.Indexes)
            {
                var create = $"CREATE {(index.IsUnique ? "UNIQUE " : "")}INDEX [{index.Name}] ON [{name}] ({Columns(index.Columns)})";
                if (!script.Contains(create, StringComparison.Ordinal)) missing.Add($"index {index.Name}");
            }
        }
        Assert.True(missing.Count == 0, $"{context}: the SQL Server script lacks " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_key_and_index_column_has_a_type_SqlServer_can_index(string context)
    {
        // nvarchar(max) cannot be a key or index column on SQL Server: the shared set's untyped strings would be exactly that.
        using var db = SqlServerContext(context);
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var unindexable = model.Tables
            .SelectMany(t => t.Indexes.SelectMany(i => i.Columns).Concat(t.UniqueConstraints.SelectMany(k => k.Columns)))
            .Where(c => c.StoreType.Contains("(max)", StringComparison.OrdinalIgnoreCase))
            .Select(c => $"{c.Table.Name}.{c.Name}")
            .Distinct()
            .ToList();
        Assert.Empty(unindexable);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_tenant_owned_table_has_its_tenant_column_in_the_SqlServer_schema(string context)
    {
        using var db = SqlServerContext(context);
        var model = db.GetService<IDesignTimeModel>().Model;
        var owned = model.GetEntityTypes().Where(e => typeof(Exit.Workflows.Tenancy.ITenantOwned).IsAssignableFrom(e.ClrType)).ToList();
        var script = db.GetService<IMigrator>().GenerateScript();
        foreach (var entity in owned)
        {
            var tenant = entity.GetProperties().Single(p => p.Name == nameof(Exit.Workflows.Tenancy.ITenantOwned.TenantId));
            var column = tenant.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()));
            Assert.Contains($"[{column}] nvarchar(40) NOT NULL", script, StringComparison.Ordinal);
            // The query filter that keeps a municipality to its own rows is part of the model the migrations were made from.
            Assert.NotEmpty(entity.GetDeclaredQueryFilters());
        }
    }

    [Fact]
    public void The_identity_script_creates_the_first_municipality()
    {
        using var db = SqlServerDesignTime.Identity();
        var script = db.GetService<IMigrator>().GenerateScript();
        Assert.Contains("INSERT INTO [ExitMunicipalities] ([Id], [Name], [CreatedAt]) VALUES (N'default', N'Kommunen', ", script, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: the store refused SQL Server naming the group-commit writer. The writer has its T-SQL now (parsed by
    /// SqlServerStatementTests in Exit.Workflows.Tests, where the refusal itself stays tested), so the store composes.
    /// </summary>
    [Fact]
    public async Task The_store_composes_on_SqlServer_now_that_nothing_is_missing()
    {
        Assert.Empty(SqlServerSupport.Missing);
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(SqlServerDesignTime.Options());
        await using var provider = services.BuildServiceProvider();
        await using var db = await provider.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.True(db.Database.IsSqlServer());
    }

    private static string Columns(IEnumerable<IColumn> columns) => string.Join(", ", columns.Select(c => $"[{c.Name}]"));
}
