namespace Exit.Workflows.Timers;

/// <summary>A timer bookmark that is due at <paramref name="DueAt"/>: Delay, Timer, StartAt or Cron waiting in an instance.</summary>
/// <param name="BookmarkId">The bookmark to resume; also the timer's identity (one trigger per bookmark).</param>
/// <param name="InstanceId">The workflow instance holding the bookmark.</param>
/// <param name="DueAt">When to resume it.</param>
/// <param name="TenantId">The instance's tenant, which the resume enters; null on a timer stored before tenancy (the
/// first municipality's, which that database became).</param>
public sealed record DueTimer(string BookmarkId, string InstanceId, DateTimeOffset DueAt, string? TenantId = null);
