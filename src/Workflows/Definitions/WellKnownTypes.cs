namespace Exit.Workflows.Definitions;

/// <summary>Activity type names the engine itself must recognise.</summary>
public static class WellKnownTypes
{
    public const string Workflow = "Elsa.Workflow";
    public const string Flowchart = "Elsa.Flowchart";
    public const string Start = "Elsa.Start";
    public const string End = "Elsa.End";
    public const string Complete = "Elsa.Complete";
    public const string Finish = "Elsa.Finish";
    public const string Fault = "Elsa.Fault";
    public const string WriteLine = "Elsa.WriteLine";
    public const string SetVariable = "Elsa.SetVariable";
    public const string FlowDecision = "Elsa.FlowDecision";
    public const string FlowFork = "Elsa.FlowFork";
    public const string FlowJoin = "Elsa.FlowJoin";
    public const string FlowNode = "Elsa.FlowNode";
    public const string Delay = "Elsa.Delay";
    public const string Timer = "Elsa.Timer";
    public const string StartAt = "Elsa.StartAt";
    public const string Cron = "Elsa.Cron";
    public const string Event = "Elsa.Event";
    public const string NotFound = "Elsa.NotFoundActivity";
}
