using System.Security.Claims;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.Elsa.Alterations;

/// <summary>
/// One audit entry per instance a bulk plan alters: who submitted the plan, the plan, the instance (and its citizen, for a
/// CTI course) and from which version to which. Written in the instance's commit (<see cref="AuditInCommit"/>), in the
/// plan's municipality (the worker runs the job in its tenant).
/// </summary>
public sealed class AlterationJobAudit(
    IWorkflowInstanceStore instances,
    ICourseDirectory courses,
    IDbContextFactory<ExitIdentityDbContext> identity,
    IAuditLog audit,
    TimeProvider clock) : IAlterationJobAudit
{
    public async Task<Func<AlterationOutcome, IReadOnlyList<object>>> PrepareAsync(AlterationPlan plan, AlterationJob job, CancellationToken ct)
    {
        var correlation = (await instances.FindAsync(job.WorkflowInstanceId, ct))?.CorrelationId;
        var citizen = string.IsNullOrEmpty(correlation) ? null : await courses.CitizenOfCorrelationAsync(correlation, ct);
        var submitter = await SubmitterAsync(plan.CreatedBy, ct);
        var what = $"plan {plan.Id} ({AlterationAuditRecord.Describe(plan.Alterations)})";
        return outcome => [new AuditInCommit(AuditLog.CreateEntry(
            AlterationAuditRecord.For(job.WorkflowInstanceId, citizen, what, outcome), submitter, null, clock.GetUtcNow()))];
    }

    public async Task AfterCommitAsync(IReadOnlyList<object> effects, CancellationToken ct)
    {
        foreach (var unwritten in effects.OfType<AuditInCommit>().Where(a => !a.Written))
        {
            var e = unwritten.Entry;
            var submitter = await SubmitterAsync(e.UserId, ct);
            await audit.WriteAsync(new AuditRecord(e.Action, e.ResourceType, e.ResourceId, e.CitizenId, e.Purpose), submitter, CancellationToken.None);
        }
    }

    // Every job of a plan names the same submitter: looked up once per worker scope, not once per altered instance.
    private readonly Dictionary<string, ClaimsPrincipal> _submitters = new(StringComparer.Ordinal);

    /// <summary>The plan's submitter as the entry's "who": the plan runs in the background, long after their request.</summary>
    private async Task<ClaimsPrincipal?> SubmitterAsync(string? userId, CancellationToken ct)
    {
        if (userId is null) return null;
        if (_submitters.TryGetValue(userId, out var known)) return known;
        await using var db = await identity.CreateDbContextAsync(ct);
        var name = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, userId)];
        if (name is not null) claims.Add(new Claim(ClaimTypes.Name, name));
        return _submitters[userId] = new ClaimsPrincipal(new ClaimsIdentity(claims, "alteration-plan"));
    }
}
