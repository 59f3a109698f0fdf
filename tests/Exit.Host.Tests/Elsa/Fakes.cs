using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Host.Tests.Elsa;

/// <summary>An instance store over lists, enough for the viewer endpoints.</summary>
public sealed class FakeInstanceStore : IWorkflowInstanceStore
{
    public List<WorkflowInstance> Instances { get; } = new();
    public List<Bookmark> Bookmarks { get; } = new();
    public List<JournalRecord> Journal { get; } = new();

    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct) =>
        Task.FromResult(Instances.FirstOrDefault(i => i.Id == instanceId));

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        Instances.RemoveAll(i => i.Id == commit.Instance.Id);
        Instances.Add(commit.Instance);
        Bookmarks.RemoveAll(b => commit.RemovedBookmarkIds.Contains(b.Id));
        Bookmarks.AddRange(commit.AddedBookmarks);
        Journal.AddRange(commit.Journal);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Bookmark>>(Bookmarks.Where(b => filter.InstanceId is null || b.InstanceId == filter.InstanceId).ToList());

    public Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct)
    {
        var rows = Instances.Select(i => new WorkflowInstanceSummary(i.Id, i.DefinitionId, i.DefinitionVersionId, i.DefinitionVersion,
            i.CorrelationId, i.Name, i.Status, i.SubStatus, i.Incidents.Count, i.CreatedAt, i.UpdatedAt, i.FinishedAt)).ToList();
        return Task.FromResult(new Page<WorkflowInstanceSummary>(rows.Skip(filter.Page * filter.PageSize).Take(filter.PageSize).ToList(), rows.Count));
    }

    public Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct)
    {
        var rows = Journal.Where(r => r.InstanceId == instanceId).OrderBy(r => r.Sequence).ToList();
        return Task.FromResult(new Page<JournalRecord>(rows.Skip(skip).Take(take).ToList(), rows.Count));
    }

    public async IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        foreach (var b in Bookmarks.Where(b => b.DueAt is not null)) yield return b;
    }
}

/// <summary>A runtime that records starts and answers with a suspended instance.</summary>
public sealed class FakeRuntime : IWorkflowRuntime
{
    public List<StartWorkflowRequest> Starts { get; } = new();

    public Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct)
    {
        Starts.Add(request);
        return Task.FromResult(new WorkflowRunResult($"inst-{Starts.Count}", WorkflowStatus.Running, WorkflowSubStatus.Suspended, [], []));
    }

    public Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct) => Task.FromResult<WorkflowRunResult?>(null);
    public Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WorkflowRunResult>>([]);
    public Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct) => Task.FromResult<WorkflowRunResult?>(null);
    public Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct) => Task.FromResult<WorkflowRunResult?>(null);
}

/// <summary>The activity catalogue the tests use: the types of the Studio session in observed-requests.jsonl.</summary>
public static class TestActivities
{
    public enum ReportFormat { Pdf, Csv }

    public static IReadOnlyList<ActivityDescriptor> All { get; } =
    [
        new() { TypeName = WellKnownTypes.Flowchart, Category = "Workflows", DisplayName = "Flowchart", IsContainer = true, IsBrowsable = false },
        new()
        {
            TypeName = WellKnownTypes.Timer, Category = "Scheduling", DisplayName = "Timer", Kind = ActivityKind.Trigger,
            Inputs = [new InputDescriptor { Name = "Interval", ClrType = typeof(TimeSpan), TypeName = "TimeSpan", DefaultValue = TimeSpan.FromMinutes(1), Semantics = InputSemantics.Duration }],
        },
        new()
        {
            TypeName = WellKnownTypes.Delay, Category = "Scheduling", DisplayName = "Delay",
            Inputs = [new InputDescriptor { Name = "TimeSpan", ClrType = typeof(TimeSpan), TypeName = "TimeSpan", Semantics = InputSemantics.Duration, IsRequired = true }],
        },
        new()
        {
            TypeName = "Acme.SendReport", Category = "Acme", DisplayName = "Send Report", Description = "Custom activity.",
            Inputs =
            [
                new InputDescriptor { Name = "Recipient", ClrType = typeof(string), TypeName = "String" },
                new InputDescriptor { Name = "Format", ClrType = typeof(string), TypeName = "String", Options = [new("PDF", "pdf"), new("CSV", "csv")] },
                new InputDescriptor { Name = "IncludeCharts", ClrType = typeof(bool), TypeName = "Boolean", UiHint = "checkbox", DisplayName = "Include charts" },
                new InputDescriptor { Name = "Body", ClrType = typeof(string), TypeName = "String", UiHint = "multiline" },
                new InputDescriptor { Name = "Layout", ClrType = typeof(ReportFormat), TypeName = "String" },
            ],
            Outputs = [new OutputDescriptor("ReportUrl", "String")],
            Ports = ["Done", "Failed"],
        },
        new()
        {
            TypeName = WellKnownTypes.FlowFork, Category = "Branching", DisplayName = "Fork",
            DynamicPorts = node => node.Inputs.TryGetValue("branches", out var b) && b.Text is { } text ? text.Split(',') : ["Left", "Right"],
        },
        new() { TypeName = WellKnownTypes.End, Category = "Primitives", DisplayName = "End", IsTerminal = true },
    ];
}
