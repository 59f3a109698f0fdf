using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>The Quartz names of workflow start triggers. Stored in the database: do not rename.</summary>
public static class StartTriggerKeys
{
    /// <summary>Its own group, so the bookmark timers' reconciler never sees these.</summary>
    public const string Group = "exit-triggers";

    /// <summary>The one durable job every start trigger fires: <c>exit-triggers.start-workflow</c>.</summary>
    public static readonly JobKey Job = new("start-workflow", Group);

    /// <summary>Name prefix of one tenant's definition's triggers.</summary>
    public static string PrefixOf(string tenantId, string definitionId) => $"start:{tenantId}:{definitionId}:";

    /// <summary>
    /// <c>start:{tenantId}:{definitionId}:{activityId}</c>: one trigger per trigger activity of a municipality's
    /// definition, whatever the version. Municipalities that adopted the same template have the same definition id, so
    /// the tenant is part of the key (a tenant id has no ':').
    /// </summary>
    public static TriggerKey For(string tenantId, string definitionId, string activityId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(activityId);
        return new TriggerKey(PrefixOf(tenantId, definitionId) + activityId, Group);
    }

    internal static class Data
    {
        public const string DefinitionId = "definitionId";
        public const string VersionId = "versionId";
        public const string ActivityId = "activityId";
        public const string ActivityType = "activityType";
        public const string Input = "input";

        /// <summary>The municipality whose definition it is; missing on triggers stored before tenancy.</summary>
        public const string TenantId = "tenantId";
    }
}
