using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Alterations;

namespace Exit.Host.Features.Elsa.Alterations;

/// <summary>The audit record of an applied alteration, the same words whether a run, the Studio screen or a plan applied it.</summary>
internal static class AlterationAuditRecord
{
    /// <summary>The alterations' types, as the record names them ("Migrate", "ModifyVariable, CancelActivity").</summary>
    public static string Describe(IEnumerable<Alteration> alterations) => string.Join(", ", alterations.Select(a => a.Type));

    public static AuditRecord For(string instanceId, string? citizenId, string alteration, AlterationOutcome outcome) =>
        new(AuditAction.Change, ElsaInstanceAuditFilter.ResourceType, instanceId, citizenId,
            $"workflow administration: alteration {alteration}, version {outcome.FromVersion} to {outcome.ToVersion}");
}
