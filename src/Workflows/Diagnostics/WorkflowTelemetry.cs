using System.Diagnostics;
using System.Diagnostics.Metrics;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Diagnostics;

/// <summary>
/// The runtime's metrics and trace spans: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>. Call sites in the runtime are one line each and cost nothing when nobody listens (an instrument
/// without a listener drops the measurement; <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null).
/// Static because the engine's classes are created in many places (sweep runtimes, tests) and a measurement must not
/// depend on which container built them; the host decides what is exported (OpenTelemetry, by meter and source name).
/// Tags are low-cardinality only (definition ids, bookmark kinds, statuses): never instance, task or citizen ids.
/// </summary>
public static class WorkflowTelemetry
{
    public const string Name = "Exit.Workflows";

    // Instrument names (Prometheus: dots become underscores, the unit is appended, counters end in _total).
    public const string Starts = "exit.workflow.starts";
    public const string Resumes = "exit.workflow.resumes";
    public const string Completions = "exit.workflow.completions";
    public const string Incidents = "exit.workflow.incidents";
    public const string TimerLag = "exit.workflow.timer.lag";
    public const string SweepDuration = "exit.workflow.sweep.duration";
    public const string SweepPageSize = "exit.workflow.sweep.page_size";
    public const string CommitBatchSize = "exit.workflow.commit.batch_size";
    public const string CommitDuration = "exit.workflow.commit.duration";
    public const string CommitApplyDuration = "exit.workflow.commit.apply_duration";
    public const string CommitBatchesAppliedAgain = "exit.workflow.commit.batches_applied_again";
    public const string TaskCompletions = "exit.tasks.completions";

    /// <summary>Histogram boundaries in seconds for timer lag: a few milliseconds up to a day behind.</summary>
    public static readonly double[] LagBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400];

    /// <summary>Histogram boundaries in seconds for sweeps and commits (an fsync is milliseconds; a backlog sweep minutes).</summary>
    public static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120];

    /// <summary>Histogram boundaries for counts (commits per transaction, bookmarks per sweep page).</summary>
    public static readonly int[] SizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 1000];

    public static readonly ActivitySource Source = new(Name, "1.0");
    public static readonly Meter Meter = new(Name, "1.0");

    private static readonly Counter<long> StartCounter = Meter.CreateCounter<long>(Starts, "{instance}", "Workflow instances started.");
    private static readonly Counter<long> ResumeCounter = Meter.CreateCounter<long>(Resumes, "{bookmark}", "Bookmarks resumed and committed, by bookmark kind.");
    private static readonly Counter<long> CompletionCounter = Meter.CreateCounter<long>(Completions, "{instance}", "Workflow instances finished, by sub-status (Finished, Cancelled, Faulted).");
    private static readonly Counter<long> IncidentCounter = Meter.CreateCounter<long>(Incidents, "{incident}", "Activities that faulted (an incident each).");
    private static readonly Counter<long> TaskCounter = Meter.CreateCounter<long>(TaskCompletions, "{task}", "Human tasks completed.");

    private static readonly Histogram<double> LagHistogram = Meter.CreateHistogram(TimerLag, "s",
        "From a timer bookmark's due time to the commit of the step it resumed (by the runtime's clock).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });

    private static readonly Histogram<double> SweepHistogram = Meter.CreateHistogram(SweepDuration, "s",
        "How long a due-timer sweep took (only sweeps that found something).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<int> PageHistogram = Meter.CreateHistogram(SweepPageSize, "{bookmark}",
        "Due timer bookmarks per sweep page.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = SizeBuckets });

    private static readonly Counter<long> AppliedAgainCounter = Meter.CreateCounter<long>(CommitBatchesAppliedAgain, "{transaction}",
        "SQLite: group-commit batches whose all-at-once attempt failed (a conflict or error in one commit) and were applied again commit by commit.");
    private static readonly Histogram<int> BatchHistogram = Meter.CreateHistogram(CommitBatchSize, "{commit}",
        "Instance commits written in one database transaction (group commit).", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = SizeBuckets });

    private static readonly Histogram<double> CommitHistogram = Meter.CreateHistogram(CommitDuration, "s",
        "Time of the transaction COMMIT of a batch: the fsync.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<double> ApplyHistogram = Meter.CreateHistogram(CommitApplyDuration, "s",
        "Time the single writer spent writing a batch's statements before its COMMIT (serial work every caller of the batch waits for).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>A span for one burst of the runtime (start, resume, cancel, retry); a child of the caller's span (an HTTP request).</summary>
    public static Activity? StartRun(string operation, WorkflowInstance instance)
    {
        var span = Source.StartActivity("workflow." + operation, ActivityKind.Internal);
        if (span is null) return null;
        span.SetTag("exit.workflow.definition_id", instance.DefinitionId);
        span.SetTag("exit.workflow.instance_id", instance.Id);
        return span;
    }

    /// <summary>A span around the wait for the instance's commit (queued, written, fsynced, acknowledged).</summary>
    public static Activity? StartCommit() => Source.StartActivity("workflow.commit", ActivityKind.Internal);

    /// <summary>Counts what a committed burst did: a start, a resume (and its lag, for a timer), a finish, incidents.</summary>
    public static void Committed(InstanceCommit commit, Bookmark? resumed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var definition = new KeyValuePair<string, object?>("definition_id", commit.Instance.DefinitionId);
        if (commit.ExpectedVersion is null) StartCounter.Add(1, definition);
        if (resumed is not null)
        {
            ResumeCounter.Add(1, new KeyValuePair<string, object?>("kind", resumed.Kind));
            if (resumed.DueAt is { } due) LagHistogram.Record(Math.Max(0, (now - due).TotalSeconds));
        }
        if (commit.Instance.Status == WorkflowStatus.Finished)
            CompletionCounter.Add(1, definition, new KeyValuePair<string, object?>("sub_status", commit.Instance.SubStatus.ToString()));
        var faulted = 0;
        foreach (var record in commit.Journal)
            if (record.EventName == JournalEvents.Faulted) faulted++;
        if (faulted > 0) IncidentCounter.Add(faulted, definition);
    }

    /// <summary>One group-commit transaction: how many commits it carried, how long applying them and its COMMIT took.</summary>
    public static void CommitBatch(int commits, long applyStopwatchTicks, long commitStopwatchTicks)
    {
        BatchHistogram.Record(commits);
        ApplyHistogram.Record((double)applyStopwatchTicks / Stopwatch.Frequency);
        CommitHistogram.Record((double)commitStopwatchTicks / Stopwatch.Frequency);
    }

    /// <summary>A batch's all-at-once attempt failed and was rolled back; it is applied again commit by commit.</summary>
    public static void CommitBatchAppliedAgain() => AppliedAgainCounter.Add(1);

    public static void SweepPage(int dueBookmarks) => PageHistogram.Record(dueBookmarks);

    public static void Swept(TimeSpan elapsed) => SweepHistogram.Record(elapsed.TotalSeconds);

    public static void TaskCompleted() => TaskCounter.Add(1);
}
