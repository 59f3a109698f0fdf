using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>Quartz and EF Core writing one SQLite file at the same time, as the app does.</summary>
[Collection(QuartzCollection.Name)]
public sealed class SqliteCoexistenceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TimerTestDatabase db = new();
    private readonly ManualTimeProvider clock = new(new DateTimeOffset(2031, 1, 15, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task StartedStore_PutsTheFileInWalMode()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler(), output: output);

        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task TimersFiring_WhileEfWritesTheSameFile_NothingFails()
    {
        const int timers = 300;
        const int efWrites = 300;
        await using (var setup = new AppDb(db.ConnectionString))
        {
            await setup.Database.EnsureCreatedAsync(); // the app's schema first, Quartz's QRTZ_ tables beside it
        }

        var handler = new EfWritingHandler(db.ConnectionString, timers);
        await using var host = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler(), output: output, handlerOverride: handler);
        var due = clock.GetUtcNow().AddMinutes(1);
        await host.Timers.ScheduleAsync(
            Enumerable.Range(0, timers).Select(i => new DueTimer($"b{i}", $"i{i}", due)).ToList(), CancellationToken.None);

        var sw = System.Diagnostics.Stopwatch.StartNew();
        clock.Advance(TimeSpan.FromMinutes(1));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < efWrites; i++)
            {
                await using var context = new AppDb(db.ConnectionString);
                context.Notes.Add(new Note { Text = $"writer {i}" });
                await context.SaveChangesAsync();
            }

            output.WriteLine($"EF writer: {efWrites} transactions in {sw.ElapsedMilliseconds} ms");
        });

        await handler.AllDone.Task.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"Timers: {timers} resumed (each an EF write) in {sw.ElapsedMilliseconds} ms");
        await writer.WaitAsync(TimeSpan.FromMinutes(2));
        await TimerTestHost.EventuallyAsync(async () => await host.CountTriggersAsync() == 0, "all triggers are removed");
        await using var check = new AppDb(db.ConnectionString);
        Assert.Equal(timers + efWrites, await check.Notes.CountAsync());
    }

    internal sealed class EfWritingHandler(string connectionString, int expected) : ITimerDueHandler
    {
        private int count;

        public TaskCompletionSource AllDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
        {
            await using var context = new AppDb(connectionString);
            context.Notes.Add(new Note { Text = "resumed " + timer.BookmarkId });
            await context.SaveChangesAsync(ct);
            if (Interlocked.Increment(ref count) == expected)
            {
                AllDone.TrySetResult();
            }
        }
    }

    internal sealed class Note
    {
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }

    internal sealed class AppDb(string connectionString) : DbContext
    {
        public DbSet<Note> Notes => Set<Note>();

        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(connectionString);
    }
}
