using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Exit.Testing;

namespace Exit.Workflows.Tests.Infrastructure;

/// <summary>
/// The durable store wired as the host wires it (<c>AddWorkflowPersistence</c>) over a migrated test database.
/// Disposing it disposes the container (draining the commit writer) and then the database.
/// </summary>
public sealed class PersistenceHarness : IAsyncDisposable
{
    private PersistenceHarness(ITestDatabase database, ServiceProvider services, DatabaseOptions options)
    {
        Database = database;
        Services = services;
        Options = options;
    }

    public ITestDatabase Database { get; }
    public ServiceProvider Services { get; }
    public DatabaseOptions Options { get; }
    public IWorkflowInstanceStore Instances => Services.GetRequiredService<IWorkflowInstanceStore>();
    public IWorkflowDefinitionStore Definitions => Services.GetRequiredService<IWorkflowDefinitionStore>();
    public IDbContextFactory<WorkflowDbContext> ContextFactory => Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();

    public static async Task<PersistenceHarness> CreateAsync(
        ITestDatabase database, Action<DatabaseOptions>? configureOptions = null, Action<IServiceCollection>? configureServices = null)
    {
        var options = new DatabaseOptions
        {
            Provider = database.Options.Provider,
            ConnectionString = database.Options.ConnectionString,
            MigrateOnStartup = false,
        };
        configureOptions?.Invoke(options);
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(options);
        services.AddSingleton<IWorkflowGraphParser>(new DelegateWorkflowGraphParser(TrivialGraph));
        configureServices?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return new PersistenceHarness(database, provider, options);
    }

    /// <summary>A stand-in for the JSON reader: a root flowchart whose id is the document's "id" (or "root").</summary>
    public static WorkflowGraph TrivialGraph(JsonObject json)
    {
        var id = json["id"]?.GetValue<string>() ?? "root";
        return new WorkflowGraph { Root = new ActivityNode { Id = id, NodeId = id, Type = WellKnownTypes.Flowchart } };
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
