using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>The Quartz names our timers live under. Stored in the database: do not rename.</summary>
public static class TimerKeys
{
    /// <summary>The group of the job and of every timer trigger.</summary>
    public const string Group = "exit-timers";

    /// <summary>Prefix of a trigger's name; the rest is the bookmark id.</summary>
    public const string TriggerPrefix = "bookmark-";

    /// <summary>Longest bookmark id accepted: Quartz's name columns are 200 characters on PostgreSQL.</summary>
    public const int MaxBookmarkIdLength = 190;

    /// <summary>The one durable job every timer trigger fires: <c>exit-timers.resume-bookmark</c>.</summary>
    public static readonly JobKey Job = new("resume-bookmark", Group);

    /// <summary>The job of the one wake-up trigger: <c>exit-timers.wake-up</c>.</summary>
    public static readonly JobKey WakeUpJob = new("wake-up", Group);

    /// <summary>
    /// The one trigger that wakes the engine at the earliest due timer: <c>exit-timers.wake-up</c>. One per scheduler
    /// name, so one for a whole cluster; any node may fire it, and the sweep claims work through the store's checks.
    /// </summary>
    public static readonly TriggerKey WakeUp = new("wake-up", Group);

    /// <summary>The deterministic trigger key of a bookmark's timer.</summary>
    public static TriggerKey TriggerFor(string bookmarkId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bookmarkId);
        if (bookmarkId.Length > MaxBookmarkIdLength)
        {
            throw new ArgumentException(
                $"Bookmark id is {bookmarkId.Length} characters; a timer bookmark id may have at most {MaxBookmarkIdLength}.",
                nameof(bookmarkId));
        }

        return new TriggerKey(TriggerPrefix + bookmarkId, Group);
    }

    internal static class Data
    {
        public const string BookmarkId = "bookmarkId";
        public const string InstanceId = "instanceId";
        public const string DueAt = "dueAt";
        public const string TenantId = "tenantId";
    }
}
