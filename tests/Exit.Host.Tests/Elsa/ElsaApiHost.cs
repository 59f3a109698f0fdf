using Exit.Host.Features.Elsa;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Host.Tests.Elsa;

/// <summary>
/// A test server exposing only <c>MapElsaApi()</c>, over in-memory stores and a fake runtime. MediatR 5.1.0 is
/// wired here by hand (the host's shared registration is someone else's), handlers found with Scrutor.
/// </summary>
public sealed class ElsaApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ElsaApiHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public IWorkflowDefinitionStore Definitions => _app.Services.GetRequiredService<IWorkflowDefinitionStore>();
    public FakeInstanceStore Instances => (FakeInstanceStore)_app.Services.GetRequiredService<IWorkflowInstanceStore>();
    public FakeRuntime Runtime => (FakeRuntime)_app.Services.GetRequiredService<IWorkflowRuntime>();

    /// <param name="realEngine">Run the real <c>WorkflowRuntime</c> with its built-in activities and the in-memory
    /// instance store instead of the test catalogue and the fake runtime.</param>
    public static async Task<ElsaApiHost> StartAsync(Action<IServiceCollection>? configure = null, bool realEngine = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Host.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<IWorkflowDefinitionStore, InMemoryDefinitionStore>();
        if (realEngine)
        {
            services.AddSingleton<IWorkflowInstanceStore, Exit.Workflows.Execution.InMemory.InMemoryInstanceStore>();
            services.AddWorkflowRuntime();
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(new ActivityRegistry(TestActivities.All));
            services.AddSingleton<IWorkflowInstanceStore, FakeInstanceStore>();
            services.AddSingleton<IWorkflowRuntime, FakeRuntime>();
        }
        // The execute endpoint audits its runs; this host has no audit store, so entries are kept in memory.
        services.AddSingleton<Exit.Host.Infrastructure.Audit.IAuditLog, MemoryAuditLog>();
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.Scan(scan => scan.FromAssembliesOf(typeof(ElsaApi))
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)).InNamespaces("Exit.Host.Features.Elsa"))
            .AsImplementedInterfaces()
            .WithScopedLifetime());
        services.AddElsaApi();
        configure?.Invoke(services);

        var app = builder.Build();
        app.MapElsaApi();
        await app.StartAsync();
        return new ElsaApiHost(app, app.GetTestClient());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The audit entries the Elsa API wrote in an <see cref="ElsaApiHost"/>.</summary>
public sealed class MemoryAuditLog : Exit.Host.Infrastructure.Audit.IAuditLog
{
    public System.Collections.Concurrent.ConcurrentQueue<Exit.Host.Infrastructure.Audit.AuditRecord> Records { get; } = new();

    public Task WriteAsync(Exit.Host.Infrastructure.Audit.AuditRecord record, System.Security.Claims.ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }
}
