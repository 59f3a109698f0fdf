namespace Exit.Workflows.Definitions;

/// <summary>A flowchart edge. A null or empty source port means "Done", as Studio reads it.</summary>
public sealed record FlowConnection(string SourceId, string? SourcePort, string TargetId, string? TargetPort)
{
    public string Outcome => string.IsNullOrEmpty(SourcePort) ? "Done" : SourcePort;
}
