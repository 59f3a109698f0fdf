using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>The Quartz names of workflow start triggers. Stored in the database: do not rename.</summary>
public static class StartTriggerKeys
{
    /// <summary>Its own group, so the bookmark timers' reconciler never sees these.</summary>
    public const string Group = "exit-triggers";

    /// <summary>The one durable job every start trigger fires: <c>exit-triggers.start-workflow</c>.</summary>
    public static readonly JobKey Job = new("start-workflow", Group);

    /// <summary>Name prefix of one definition's triggers.</summary>
    public static string PrefixOf(string definitionId) => $"start:{definitionId}:";

    /// <summary><c>start:{definitionId}:{activityId}</c>: one trigger per trigger activity, whatever the version.</summary>
    public static TriggerKey For(string definitionId, string activityId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(activityId);
        return new TriggerKey(PrefixOf(definitionId) + activityId, Group);
    }

    internal static class Data
    {
        public const string DefinitionId = "definitionId";
        public const string VersionId = "versionId";
        public const string ActivityId = "activityId";
        public const string ActivityType = "activityType";
        public const string Input = "input";
    }
}
