namespace Exit.Workflows.State;

/// <summary>A token on a flowchart edge (Elsa's token flow): from → to over the source's outcome.</summary>
public sealed class FlowToken
{
    public required string FromActivityId { get; init; }
    public required string Outcome { get; init; }
    public required string ToActivityId { get; init; }
    public bool Consumed { get; set; }
    public bool Blocked { get; set; }
}
