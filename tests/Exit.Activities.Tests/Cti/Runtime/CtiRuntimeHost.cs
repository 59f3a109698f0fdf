using System.Text.Json.Nodes;
using Exit.Activities.Cti;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Hosting;
using Exit.Workflows.Persistence;
using Exit.Workflows.Timers;
using Exit.Workflows.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>
/// The real thing on a SQLite file: <c>AddExitWorkflows</c> (EF store with group commit, engine, definitions,
/// Quartz timers), <c>AddHumanTasks</c> and <c>AddCti</c>, with a <see cref="ManualTimeProvider"/> as the one clock.
/// Hosted services start as a host starts them: migrations and the definitions folder (with cti-course.json,
/// optionally edited), then Quartz. <see cref="RunUntilAsync"/> moves the clock from timer to timer and waits
/// (real time) until the scheduler has resumed each one.
/// </summary>
public sealed class CtiRuntimeHost : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];
    private readonly string _directory;
    private string? _postgresDatabase;

    private CtiRuntimeHost(ServiceProvider services, ManualTimeProvider clock, string directory)
    {
        Services = services;
        Clock = clock;
        _directory = directory;
    }

    /// <summary>The server from <c>EXIT_TEST_POSTGRES</c>, or null (Postgres runs are skipped then).</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("EXIT_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public ServiceProvider Services { get; }

    public ManualTimeProvider Clock { get; }

    public static string DefinitionJson()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "workflow-definitions", "cti-course.json");
            if (File.Exists(path)) return File.ReadAllText(path);
        }

        throw new FileNotFoundException("workflow-definitions/cti-course.json not found above " + AppContext.BaseDirectory);
    }

    public static async Task<CtiRuntimeHost> StartAsync(
        DateTimeOffset start, Func<JsonObject, JsonObject>? editDefinition = null, string? extraDefinition = null, bool postgres = false,
        Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "exit-cti-" + Path.GetRandomFileName());
        var definitions = Path.Combine(directory, "definitions");
        Directory.CreateDirectory(definitions);
        var json = JsonNode.Parse(DefinitionJson())!.AsObject();
        if (editDefinition is not null) json = editDefinition(json);
        await File.WriteAllTextAsync(Path.Combine(definitions, "cti-course.json"), json.ToJsonString());
        if (extraDefinition is not null) await File.WriteAllTextAsync(Path.Combine(definitions, "extra.json"), extraDefinition);

        var connection = $"Data Source={Path.Combine(directory, "exit.db")}";
        string? pgDatabase = null;
        if (postgres)
        {
            pgDatabase = "exit_cti_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
            await using (var admin = new NpgsqlConnection(PostgresServer ?? throw new InvalidOperationException("EXIT_TEST_POSTGRES is not set.")))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {pgDatabase}", admin);
                await create.ExecuteNonQueryAsync();
            }

            connection = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = pgDatabase }.ConnectionString;
        }

        var provider = postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var clock = new ManualTimeProvider(start);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostApplicationLifetime, TestLifetime>();
        services.AddSingleton<TimeProvider>(clock);
        configure?.Invoke(services);
        services.AddExitWorkflows(new ExitWorkflowOptions
        {
            Database = new DatabaseOptions { Provider = provider, ConnectionString = connection },
            Scheduling = new SchedulingOptions { SchedulerName = "cti-test-" + Path.GetRandomFileName() },
            DefinitionsFolder = definitions,
        });
        services.AddHumanTasks(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connection;
        });
        services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
        services.AddCti(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connection;
        });

        var host = new CtiRuntimeHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), clock, directory)
        {
            _postgresDatabase = pgDatabase,
        };
        foreach (var hosted in host.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }

        ((TestLifetime)host.Services.GetRequiredService<IHostApplicationLifetime>()).Started();
        return host;
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task WithAsync(Func<IServiceProvider, Task> action) => WithAsync(async sp =>
    {
        await action(sp);
        return 0;
    });

    public Task<T> Cti<T>(Func<CtiCourseService, Task<T>> action) => WithAsync(sp => action(sp.GetRequiredService<CtiCourseService>()));

    public Task Cti(Func<CtiCourseService, Task> action) => WithAsync(sp => action(sp.GetRequiredService<CtiCourseService>()));

    /// <summary>All task records of a course (open, completed, cancelled), by due date.</summary>
    public async Task<List<TaskRecord>> TasksAsync(Guid courseId)
    {
        await using var db = Services.GetRequiredService<TaskDbContextFactory>().Create();
        var id = courseId.ToString();
        return await db.Tasks.AsNoTracking().Where(t => t.CorrelationId == id).OrderBy(t => t.DueOrder).ThenBy(t => t.Kind).ToListAsync();
    }

    public async Task<List<EvaluationRecord>> EvaluationsAsync(Guid courseId)
    {
        await using var db = Services.GetRequiredService<CtiDbContextFactory>().Create();
        var id = courseId.ToString();
        return await db.Evaluations.AsNoTracking().Where(e => e.CourseId == id).OrderBy(e => e.Date).ToListAsync();
    }

    public async Task<TaskRecord> OpenTaskAsync(Guid courseId, string kind) =>
        (await TasksAsync(courseId)).First(t => t.Kind == kind && t.Status == HumanTaskStatus.Open);

    public Task CompleteTaskAsync(string taskId, string outcome, JsonNode? data = null) =>
        WithAsync(sp => sp.GetRequiredService<HumanTaskService>().CompleteAsync(taskId, outcome, data, "test", CancellationToken.None));

    /// <summary>
    /// Moves the clock to each pending timer due at or before <paramref name="until"/>, earliest first, and waits
    /// until the Quartz scheduler has resumed it; finally sets the clock to <paramref name="until"/>.
    /// <paramref name="onStep"/> runs after each resumed timer (e.g. to record evaluations as they come up).
    /// </summary>
    public async Task RunUntilAsync(DateTimeOffset until, Func<Task>? onStep = null)
    {
        var store = Services.GetRequiredService<IWorkflowInstanceStore>();
        while (true)
        {
            var timers = await store.FindBookmarksAsync(new BookmarkFilter(TimersOnly: true), CancellationToken.None);
            var next = timers.Where(t => t.DueAt <= until).OrderBy(t => t.DueAt).FirstOrDefault();
            if (next is null) break;
            if (next.DueAt > Clock.GetUtcNow()) Clock.SetUtcNow(next.DueAt!.Value);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await store.FindBookmarksAsync(new BookmarkFilter(BookmarkId: next.Id), CancellationToken.None)).Count > 0)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timer bookmark {next.Id} due {next.DueAt:O} was not resumed by the scheduler.");
                await Task.Delay(10);
            }

            if (onStep is not null) await onStep();
        }

        if (until > Clock.GetUtcNow()) Clock.SetUtcNow(until);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--) await _started[i].StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private sealed class TestLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => _started.Token;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => _stopped.Token;

        public void Started() => _started.Cancel();

        public void StopApplication() => _stopping.Cancel();
    }
}
