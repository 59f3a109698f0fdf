using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Host.Features.Elsa.Instances;

/// <summary>Elsa's WorkflowInstance/WorkflowInstanceSummary and journal shapes, as Studio and Elsa clients read them.</summary>
public sealed record WorkflowInstanceSummaryDto(
    string Id, string DefinitionId, string DefinitionVersionId, int Version, string Status, string SubStatus,
    string? CorrelationId, string? Name, int IncidentCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt)
{
    public static WorkflowInstanceSummaryDto From(WorkflowInstanceSummary s) => new(
        s.Id, s.DefinitionId, s.DefinitionVersionId, s.Version, s.Status.ToString(), s.SubStatus.ToString(),
        s.CorrelationId, s.Name, s.IncidentCount, s.CreatedAt, s.UpdatedAt, s.FinishedAt);
}

public sealed record BookmarkDto(
    string Id, string Name, string? Hash, JsonObject? Payload, string ActivityNodeId, string ActivityInstanceId,
    bool AutoBurn, string? CallbackMethodName, JsonObject Metadata, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? CorrelationId)
{
    public static BookmarkDto From(Bookmark b) => new(
        b.Id, b.Kind, b.Key, ElsaRedaction.ObjectOrNull(b.Payload), b.ActivityNodeId, b.ActivityInstanceId, true, null, new JsonObject(), b.CreatedAt, b.DueAt, b.CorrelationId);
}

public sealed record IncidentDto(string ActivityId, string ActivityNodeId, string ActivityType, string Message, JsonObject Exception, DateTimeOffset Timestamp)
{
    public static IncidentDto From(Incident i) => new(
        i.ActivityId, i.ActivityNodeId, i.ActivityType, i.Message,
        new JsonObject { ["type"] = i.ExceptionType, ["message"] = i.Message }, i.Timestamp);
}

public sealed record WorkflowStateDto(
    string Id, string DefinitionId, int DefinitionVersion, string? CorrelationId, string Status, string SubStatus,
    IReadOnlyList<BookmarkDto> Bookmarks, IReadOnlyList<IncidentDto> Incidents, string? Fault,
    IReadOnlyList<object> CompletionCallbacks, IReadOnlyList<object> ActivityExecutionContexts,
    JsonObject Input, JsonObject Output, JsonObject Properties,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

public sealed record WorkflowInstanceDto(
    string Id, string DefinitionId, string DefinitionVersionId, int Version, string Status, string SubStatus,
    string? CorrelationId, string? Name, int IncidentCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt, WorkflowStateDto WorkflowState)
{
    public static WorkflowInstanceDto From(WorkflowInstance i, IReadOnlyList<Bookmark> bookmarks)
    {
        var state = new WorkflowStateDto(
            i.Id, i.DefinitionId, i.DefinitionVersion, i.CorrelationId, i.Status.ToString(), i.SubStatus.ToString(),
            bookmarks.Select(BookmarkDto.From).ToList(), i.Incidents.Select(IncidentDto.From).ToList(), i.Fault,
            [], [], ElsaRedaction.Object(i.Input), ElsaRedaction.Object(i.Output), new JsonObject(), i.CreatedAt, i.UpdatedAt, i.FinishedAt);
        return new(i.Id, i.DefinitionId, i.DefinitionVersionId, i.DefinitionVersion, i.Status.ToString(), i.SubStatus.ToString(),
            i.CorrelationId, i.Name, i.Incidents.Count, i.CreatedAt, i.UpdatedAt, i.FinishedAt, state);
    }
}

public sealed record JournalRecordDto(
    string Id, string ActivityInstanceId, string? ParentActivityInstanceId, string ActivityId, string ActivityType,
    int ActivityTypeVersion, string? ActivityName, string NodeId, DateTimeOffset Timestamp, long Sequence,
    string EventName, string? Message, string? Source, JsonObject? ActivityState, JsonObject? Payload)
{
    public static JournalRecordDto From(JournalRecord r) => new(
        $"{r.InstanceId}:{r.Sequence}", r.ActivityInstanceId, r.ParentActivityInstanceId, r.ActivityId, r.ActivityType,
        r.ActivityTypeVersion, r.ActivityName, r.NodeId, r.Timestamp, r.Sequence, r.EventName, MessageOf(r), null,
        ElsaRedaction.ObjectOrNull(r.ActivityState), ElsaRedaction.ObjectOrNull(r.Payload));

    /// <summary>
    /// Activities journal their own words (ids, rules, limits) as the message, except WriteLine, whose message is
    /// its text: workflow data, redacted like the rest.
    /// </summary>
    private static string? MessageOf(JournalRecord r) =>
        r.ActivityType == WellKnownTypes.WriteLine ? ElsaRedaction.Text(r.Message) : r.Message;
}

public sealed record ListResponse<T>(IReadOnlyList<T> Items, int Count);

public sealed record PagedListResponse<T>(IReadOnlyList<T> Items, int TotalCount);
