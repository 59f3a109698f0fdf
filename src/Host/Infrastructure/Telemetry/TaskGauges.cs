using System.Diagnostics.Metrics;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Telemetry;

/// <summary>
/// Open and overdue human tasks by kind, as observable gauges. Counted by one grouped query when a collector asks,
/// at most every <see cref="RefreshInterval"/> (a scrape every few seconds does not become a query every few seconds).
/// A failed count reports nothing rather than failing the scrape.
/// </summary>
public sealed class TaskGauges : IDisposable
{
    public const string MeterName = "Exit.Tasks";
    public const string OpenTasks = "exit.tasks.open";
    public const string OverdueTasks = "exit.tasks.overdue";
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly TaskDbContextFactory _contexts;
    private readonly TimeProvider _clock;
    private readonly ILogger<TaskGauges> _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<KindCount> _counts = [];
    private long _countedAt = long.MinValue;

    public TaskGauges(TaskDbContextFactory contexts, TimeProvider clock, ILogger<TaskGauges> logger)
    {
        _contexts = contexts;
        _clock = clock;
        _logger = logger;
        _meter.CreateObservableGauge(OpenTasks, () => Measure(c => c.Open), "{task}", "Open human tasks, by kind.");
        _meter.CreateObservableGauge(OverdueTasks, () => Measure(c => c.Overdue), "{task}", "Open human tasks past their due date, by kind.");
    }

    private sealed record KindCount(string Kind, int Open, int Overdue);

    private IEnumerable<Measurement<int>> Measure(Func<KindCount, int> value) =>
        Counts().Select(c => new Measurement<int>(value(c), new KeyValuePair<string, object?>("kind", c.Kind)));

    private IReadOnlyList<KindCount> Counts()
    {
        lock (_gate)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_countedAt != long.MinValue && System.Diagnostics.Stopwatch.GetElapsedTime(_countedAt, now) < RefreshInterval) return _counts;
            try
            {
                var dueBefore = _clock.GetUtcNow().UtcTicks;
                using var db = _contexts.Create();
                // Installation-wide counts for operations (no scope here, and none needed: figures, no task content).
                _counts = db.Tasks.IgnoreQueryFilters().AsNoTracking()
                    .Where(t => t.Status == HumanTaskStatus.Open)
                    .GroupBy(t => t.Kind)
                    .Select(g => new { g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueOrder < dueBefore) })
                    .AsEnumerable()
                    .Select(g => new KindCount(g.Key ?? "none", g.Open, g.Overdue))
                    .ToList();
                _countedAt = now;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "Counting open tasks for the metrics failed");
                _counts = [];
            }
            return _counts;
        }
    }

    public void Dispose() => _meter.Dispose();
}
