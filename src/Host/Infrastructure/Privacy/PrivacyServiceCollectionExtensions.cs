using Exit.Activities.Privacy;
using Quartz;

namespace Exit.Host.Infrastructure.Privacy;

public static class HostPrivacyServiceCollectionExtensions
{
    /// <summary>Erasure, export and retention (<c>Exit:Retention</c>), with the daily retention job in the service's Quartz scheduler.</summary>
    public static IServiceCollection AddExitPrivacy(this IServiceCollection services, IConfiguration configuration, string timeZone)
    {
        var options = configuration.GetSection("Exit:Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        services.AddSingleton(options);
        services.AddCitizenDataRights();
        services.AddScoped<RetentionSweep>();
        services.AddQuartz(q =>
        {
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).WithDescription("Deletes citizen data past its retention time").StoreDurably());
            q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("exit-retention-daily", "exit")
                // Quartz's default misfire policy for cron: a run missed while the service was down runs once at start-up.
                .WithCronSchedule(options.Schedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(timeZone))));
        });
        return services;
    }
}
