namespace Exit.Workflows.Triggers;

/// <summary>
/// An activity of a published version that starts new instances (<c>canStartWorkflow: true</c>): an
/// Elsa.Timer, Elsa.Cron, Elsa.StartAt or Elsa.Event in the root flowchart.
/// </summary>
/// <param name="DefinitionId">The definition.</param>
/// <param name="VersionId">The published version it was read from.</param>
/// <param name="ActivityId">The trigger activity.</param>
/// <param name="ActivityType">Elsa.Timer, Elsa.Cron, Elsa.StartAt or Elsa.Event.</param>
/// <param name="Input">The literal text of its schedule input (interval, cron expression, instant) or event name.</param>
public sealed record WorkflowTrigger(string DefinitionId, string VersionId, string ActivityId, string ActivityType, string Input);
