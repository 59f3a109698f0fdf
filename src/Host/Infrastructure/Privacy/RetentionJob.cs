using Quartz;

namespace Exit.Host.Infrastructure.Privacy;

/// <summary>The daily Quartz job (<see cref="RetentionOptions.Schedule"/>) that runs the <see cref="RetentionSweep"/> in every municipality.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(IServiceScopeFactory scopes, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("exit-retention", "exit");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<RetentionSweep>().RunEveryMunicipalityAsync(cancellationToken);
        }
        catch (RetentionIncompleteException ex)
        {
            // Each failure was logged where it happened (municipality id, exception type); this is the run's verdict.
            logger.LogError("Retention run incomplete: {Failed} municipalities failed ({TenantIds}); {Courses} courses, {Enquiries} enquiries, " +
                "{Instances} workflow instances, {AuditEntries} audit entries removed in the others",
                ex.FailedTenants.Count, string.Join(", ", ex.FailedTenants), ex.Done.Courses, ex.Done.Enquiries, ex.Done.Instances, ex.Done.AuditEntries);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Tomorrow's run picks up what is left: every step deletes what is still there.
            logger.LogError(ex, "Retention run failed");
        }
    }
}
