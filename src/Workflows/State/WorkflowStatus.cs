namespace Exit.Workflows.State;

/// <summary>Elsa's coarse status: Running covers Pending/Executing/Suspended; Finished covers the rest.</summary>
public enum WorkflowStatus { Running, Finished }

public enum WorkflowSubStatus { Pending, Executing, Suspended, Finished, Cancelled, Faulted }

public enum ActivityStatus { Pending, Running, Completed, Canceled, Faulted }
