using Exit.Workflows.Timers;

namespace Exit.Host.Infrastructure.Configuration;

/// <summary>
/// <c>Exit:Scheduling</c> as the runtime's <see cref="SchedulingOptions"/>: <c>Clustered</c> (several hosts on one
/// PostgreSQL database), <c>ClusterCheckinInterval</c>, <c>TimerClaimLease</c>, Quartz's pool sizes. The zone comes from
/// <c>Exit:TimeZone</c>, the one setting for calendar arithmetic.
/// </summary>
public static class SchedulingSettings
{
    public static SchedulingOptions From(IConfiguration configuration, string timeZone)
    {
        var options = configuration.GetSection("Exit:Scheduling").Get<SchedulingOptions>() ?? new SchedulingOptions();
        options.TimeZone = timeZone;
        return options;
    }
}
