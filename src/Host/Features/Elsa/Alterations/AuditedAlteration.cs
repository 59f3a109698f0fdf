using System.Security.Claims;
using Exit.Host.Infrastructure.Audit;
using Exit.Workflows.Alterations;

namespace Exit.Host.Features.Elsa.Alterations;

/// <summary>
/// Applies alterations to one instance with its audit entry (who, what, from and to version) written in the instance's
/// own commit, so the entry is stored exactly when the change is; if the change committed without it (no commit
/// participant for audit), the entry is written after. Used by <c>/elsa/api/alterations/run</c> and the Studio
/// alteration screen alike.
/// </summary>
public sealed class AuditedAlteration(WorkflowAlterationRunner runner, IAuditLog audit, IHttpContextAccessor http, TimeProvider clock)
{
    public async Task<AlterationOutcome> ApplyAsync(string instanceId, string? citizenId, IReadOnlyList<Alteration> alterations,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var what = AlterationAuditRecord.Describe(alterations);
        AuditRecord Record(AlterationOutcome o) => AlterationAuditRecord.For(instanceId, citizenId, what, o);
        AuditInCommit? inCommit = null;
        var outcome = await runner.ApplyAsync(instanceId, alterations, actor, ct,
            o => [inCommit = new AuditInCommit(AuditLog.CreateEntry(Record(o), user, http.HttpContext, clock.GetUtcNow()))]);
        if (outcome.Succeeded && inCommit is not { Written: true })
            await audit.WriteAsync(Record(outcome), ct: CancellationToken.None);
        return outcome;
    }
}
