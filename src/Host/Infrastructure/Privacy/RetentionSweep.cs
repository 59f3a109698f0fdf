using Exit.Activities.Privacy;
using Exit.Host.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Privacy;

/// <summary>What one retention run removed.</summary>
public sealed record RetentionResult(int Courses, int Enquiries, int Instances, int AuditEntries);

/// <summary>
/// Deletes what has passed its time under <see cref="RetentionOptions"/>: ended courses with everything the modules
/// hold about them (and the citizen once nothing else is left), enquiries that led nowhere, the workflow instances of
/// ended courses, and old audit entries. Each deletion of citizen data is itself an audit entry (no user: the service).
/// Audit entries never hold a citizen's alias or CPR number, only the citizen id, so they need no anonymising; they are
/// removed lane by lane as the chain allows (<see cref="AuditPruning"/>).
/// </summary>
/// <remarks>
/// Runs in the municipality in scope: <see cref="RunEveryMunicipalityAsync"/> (the daily job) enters each municipality
/// in turn, and the national scope for its own audit entries.
/// </remarks>
public sealed class RetentionSweep(
    RetentionOptions options,
    Exit.Workflows.Tenancy.ITenantDirectory municipalities,
    ICitizenScopeResolver resolver,
    CitizenDataService data,
    WorkflowInstanceEraser instances,
    IAuditLog audit,
    IDbContextFactory<Auth.ExitIdentityDbContext> auditContexts,
    TimeProvider clock,
    ILogger<RetentionSweep> logger)
{
    /// <summary>
    /// One run per municipality (inside its scope), then the national scope; the results added up. A municipality whose
    /// run fails is logged (its id and the exception's type: an exception's text may quote data) and the next one still
    /// runs; the run then ends with <see cref="RetentionIncompleteException"/> naming the ones that failed, after the others'
    /// work is done.
    /// </summary>
    public async Task<RetentionResult> RunEveryMunicipalityAsync(CancellationToken ct)
    {
        var total = new RetentionResult(0, 0, 0, 0);
        var failed = new List<string>();
        var tenants = (await municipalities.ListAsync(ct)).Select(t => t.Id).Append(Exit.Workflows.Tenancy.TenantIds.Templates);
        foreach (var tenant in tenants)
        {
            using (Exit.Workflows.Tenancy.TenantScope.Enter(tenant))
            {
                try
                {
                    var one = await RunAsync(ct);
                    total = new RetentionResult(total.Courses + one.Courses, total.Enquiries + one.Enquiries, total.Instances + one.Instances,
                        total.AuditEntries + one.AuditEntries);
                }
                catch (AuditPruningRefusedException ex)
                {
                    failed.Add(tenant);
                    logger.LogWarning("Retention in {TenantId} could not remove expired audit entries: PostgreSQL refused {Function} (SQLSTATE {SqlState}). " +
                        "Migrate the schema as its owner and grant the service's role EXECUTE on the function (README, \"Audit chain\"), " +
                        "or set Exit:Retention:AuditEntriesDays=0",
                        tenant, AuditPruning.PostgresFunction, ex.SqlState);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    failed.Add(tenant);
                    logger.LogError("Retention in {TenantId} failed with {ExceptionType} ({SqlState}); the other municipalities are still run",
                        tenant, ex.GetType().FullName, (ex as System.Data.Common.DbException)?.SqlState);
                }
            }
        }

        if (failed.Count > 0) throw new RetentionIncompleteException(failed, total);
        return total;
    }

    /// <summary>One run in the municipality in scope (its rows only, by the tenant filters).</summary>
    public async Task<RetentionResult> RunAsync(CancellationToken ct)
    {
        var tenant = Exit.Workflows.Tenancy.TenantScope.Required();
        var now = clock.GetUtcNow();
        int courses = 0, enquiries = 0, erasedInstances = 0, auditEntries = 0;

        if (options.ClosedCoursesDays > 0)
        {
            foreach (var group in (await resolver.EndedCoursesAsync(now.AddDays(-options.ClosedCoursesDays), ct)).GroupBy(c => c.CitizenId))
            {
                var citizen = await resolver.ResolveAsync(group.Key, ct);
                var expired = group.Select(g => g.Course).ToList();
                // The citizen goes too when every course they have is among the expired ones.
                var whole = citizen is not null && citizen.Courses.All(c => expired.Any(e => e.CourseId == c.CourseId));
                await data.EraseAsync(new CitizenDataScope(group.Key, expired, whole), ct);
                foreach (var course in expired)
                    await Audit(AuditAction.Delete, "course", course.CourseId, group.Key, $"retention: course ended more than {options.ClosedCoursesDays} days ago", ct);
                courses += expired.Count;
            }
        }

        if (options.EnquiriesDays > 0)
        {
            foreach (var citizenId in await resolver.CitizensWithoutCoursesAsync(now.AddDays(-options.EnquiriesDays), ct))
            {
                await data.EraseAsync(new CitizenDataScope(citizenId, [], WholeCitizen: true), ct);
                await Audit(AuditAction.Delete, "citizen", citizenId, citizenId, $"retention: enquiry without a course, older than {options.EnquiriesDays} days", ct);
                enquiries++;
            }
        }

        if (options.FinishedCourseInstancesDays > 0)
        {
            foreach (var (citizenId, course) in await resolver.EndedCoursesAsync(now.AddDays(-options.FinishedCourseInstancesDays), ct))
            {
                if (await instances.EraseAsync(new CitizenDataScope(citizenId, [course], WholeCitizen: false), ct) == 0) continue;
                await Audit(AuditAction.Delete, "workflow-instance", course.InstanceId, citizenId,
                    $"retention: workflow instance of a course ended more than {options.FinishedCourseInstancesDays} days ago", ct);
                erasedInstances++;
            }
        }

        if (options.AuditEntriesDays > 0)
        {
            await using var db = await auditContexts.CreateDbContextAsync(ct);
            auditEntries = checked((int)await AuditPruning.PruneAsync(db, now.AddDays(-options.AuditEntriesDays), now, ct));
        }

        logger.LogInformation("Retention in {TenantId} removed {Courses} courses, {Enquiries} enquiries, {Instances} workflow instances, {AuditEntries} audit entries",
            tenant, courses, enquiries, erasedInstances, auditEntries);
        return new RetentionResult(courses, enquiries, erasedInstances, auditEntries);
    }

    private Task Audit(AuditAction action, string type, string id, string citizenId, string purpose, CancellationToken ct) =>
        audit.WriteAsync(new AuditRecord(action, type, id, citizenId, purpose), user: new System.Security.Claims.ClaimsPrincipal(), ct: ct);
}
