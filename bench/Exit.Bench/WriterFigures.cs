using System.Diagnostics.Metrics;
using System.Globalization;
using Exit.Workflows.Diagnostics;

namespace Exit.Bench;

/// <summary>
/// Listens to the group-commit writer's metrics (<see cref="WorkflowTelemetry.CommitBatchSize"/>,
/// <see cref="WorkflowTelemetry.CommitApplyDuration"/>, <see cref="WorkflowTelemetry.CommitDuration"/>) so each phase can
/// say where the single writer's serial time went: transactions, commits per transaction, apply and COMMIT (fsync) time,
/// and how much of the phase the writer was busy at all (the rest it waited for callers).
/// </summary>
public sealed class WriterFigures : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _transactions, _commits, _applyMicros, _commitMicros, _appliedAgain;

    public WriterFigures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkflowTelemetry.Name && instrument.Name is WorkflowTelemetry.CommitBatchSize
                    or WorkflowTelemetry.CommitApplyDuration or WorkflowTelemetry.CommitDuration or WorkflowTelemetry.CommitBatchesAppliedAgain)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _commits, value);
        });
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _appliedAgain, value));
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            var micros = (long)(seconds * 1_000_000);
            if (instrument.Name == WorkflowTelemetry.CommitApplyDuration) Interlocked.Add(ref _applyMicros, micros);
            else Interlocked.Add(ref _commitMicros, micros);
        });
        _listener.Start();
    }

    public readonly record struct Mark(long Transactions, long Commits, long ApplyMicros, long CommitMicros, long AppliedAgain);

    public Mark Now() => new(Interlocked.Read(ref _transactions), Interlocked.Read(ref _commits),
        Interlocked.Read(ref _applyMicros), Interlocked.Read(ref _commitMicros), Interlocked.Read(ref _appliedAgain));

    /// <summary>The writer's figures since <paramref name="from"/>, over a phase of <paramref name="elapsed"/>.</summary>
    public string Since(Mark from, TimeSpan elapsed)
    {
        var now = Now();
        var tx = now.Transactions - from.Transactions;
        if (tx <= 0) return "writer: no group-commit transactions";
        var commits = now.Commits - from.Commits;
        var apply = (now.ApplyMicros - from.ApplyMicros) / 1000.0;
        var commit = (now.CommitMicros - from.CommitMicros) / 1000.0;
        var busy = (apply + commit) / Math.Max(1, elapsed.TotalMilliseconds) * 100;
        return string.Create(CultureInfo.InvariantCulture,
            $"writer: {tx} transactions, {commits / (double)tx:F1} commits each; per transaction apply {apply / tx:F2} ms " +
            $"({apply / Math.Max(1, commits):F3} ms/commit), COMMIT {commit / tx:F2} ms; busy {busy:F0} % of the phase; " +
            $"{now.AppliedAgain - from.AppliedAgain} applied again commit by commit");
    }

    public void Dispose() => _listener.Dispose();
}
