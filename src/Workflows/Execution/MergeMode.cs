namespace Exit.Workflows.Execution;

/// <summary>How a flowchart target with several inbound connections decides to run (semantics §2).</summary>
public enum MergeMode
{
    /// <summary>Run unless a direct forward source is still in flight (the default).</summary>
    Stream,
    /// <summary>Run when every forward inbound connection holds a token.</summary>
    Merge,
    /// <summary>Run when every inbound connection, backward ones included, holds a token.</summary>
    Converge,
    /// <summary>First arrival runs; in-flight ancestors are cancelled; later arrivals are absorbed.</summary>
    Race,
    /// <summary>Race without the cancellation.</summary>
    Cascade,
}
