using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Activities.Tests.Tenancy;

/// <summary>
/// The supervision planner runs in the background with no municipality of its own: each municipality of the directory
/// gets its own workers' series and sessions, inside its own scope; the national template library gets none.
/// </summary>
public sealed class SupervisionPlannerTenancyTests
{
    [Fact]
    public async Task Planner_SetsUpEachMunicipalitysWorkerSeries_InThatMunicipality()
    {
        await using var database = SqliteTestDatabase.Create();
        var clock = new Exit.Workflows.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new SupportPersonsStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        services.AddSingleton<SupportPersonsDbContextFactory>();
        services.AddSingleton<ILogger<SupervisionSeriesService>>(NullLogger<SupervisionSeriesService>.Instance);
        services.AddScoped<SupervisionSeriesService>();
        await using var provider = services.BuildServiceProvider();
        var contexts = provider.GetRequiredService<SupportPersonsDbContextFactory>();
        await using (var db = contexts.Create()) await db.Database.MigrateAsync();

        var lifetime = new StartedLifetime();
        var directory = new Directory([new("aarhus", "Aarhus"), new(TenantIds.Default, "København"), new(TenantIds.Templates, "National")]);
        var planner = new SupervisionPlanner(lifetime, provider.GetRequiredService<IServiceScopeFactory>(), directory, clock,
            new SupervisionOptions { WorkerCadence = SupervisionCadence.Weekly }, NullLogger<SupervisionPlanner>.Instance);
        await planner.StartAsync(default);
        lifetime.Start();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await CountAsync(contexts, TenantIds.Default) == 0 || await CountAsync(contexts, "aarhus") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The planner did not set up both municipalities' worker series.");
                await Task.Delay(20);
            }
        }
        finally
        {
            await planner.StopAsync(default);
            SqliteConnection.ClearAllPools();
        }

        await using var check = contexts.Create();
        var series = await check.Series.IgnoreQueryFilters().OrderBy(s => s.TenantId).Select(s => new { s.TenantId, s.SeriesKey }).ToListAsync();
        Assert.Equal([("aarhus", "workers"), (TenantIds.Default, "workers")], series.Select(s => (s.TenantId, s.SeriesKey)));
        var sessions = await check.Sessions.IgnoreQueryFilters().Select(s => new { s.TenantId, s.SeriesId }).ToListAsync();
        var seriesTenant = await check.Series.IgnoreQueryFilters().ToDictionaryAsync(s => s.Id, s => s.TenantId);
        Assert.All(sessions, s => Assert.Equal(seriesTenant[s.SeriesId], s.TenantId));
    }

    private static async Task<int> CountAsync(SupportPersonsDbContextFactory contexts, string tenant)
    {
        using var scope = TenantScope.Enter(tenant);
        await using var db = contexts.Create();
        return await db.Sessions.CountAsync();
    }

    private sealed class Directory(IReadOnlyList<TenantInfo> tenants) : ITenantDirectory
    {
        public Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct) => Task.FromResult(tenants);
    }

    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();
        public CancellationToken ApplicationStarted => _started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void Start() => _started.Cancel();
        public void StopApplication() { }
    }
}
