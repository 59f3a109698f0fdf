using Exit.Host.Features.Elsa.Alterations;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Alterations;

/// <summary>
/// Where Studio 3.8.2's "Alter" action on an instance leads (a full page load of <c>/studio/alterations/instances/{id}</c>;
/// the open-source bundle has no screen of its own there): move one instance to another version of its definition, with a
/// dry run first. Coordinators and admins (the Elsa write policy). Shows ids, versions and activity names only.
/// </summary>
public sealed class InstanceModel(IWorkflowInstanceStore instances, IWorkflowDefinitionStore definitions, WorkflowAlterationRunner runner,
    AuditedAlteration alteration, ICourseDirectory courses, IAuditLog audit) : PageModel
{
    public WorkflowInstance? Instance { get; private set; }
    public IReadOnlyList<int> Versions { get; private set; } = [];
    public AlterationOutcome? Outcome { get; private set; }
    public bool Applied { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostDryRunAsync(string id, int targetVersion, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        Outcome = await runner.DryRunAsync(id, [new MigrateAlteration(targetVersion)], ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMigrateAsync(string id, int targetVersion, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        var citizen = await courses.CitizenOfCorrelationAsync(Instance!.CorrelationId, ct);
        Outcome = await alteration.ApplyAsync(id, citizen, [new MigrateAlteration(targetVersion)], User, ct);
        Applied = Outcome.Succeeded;
        if (Applied) await LoadAsync(id, ct);
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string id, CancellationToken ct)
    {
        Instance = await instances.FindAsync(id, ct);
        if (Instance is null) return NotFound();
        var citizen = await courses.CitizenOfCorrelationAsync(Instance.CorrelationId, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Read, ElsaInstanceAuditFilter.ResourceType, id, citizen,
            "workflow administration: alteration screen"), ct: CancellationToken.None);
        var all = await definitions.ListAsync(new DefinitionFilter(VersionOptions.AllVersions, DefinitionIds: [Instance.DefinitionId], PageSize: 100), ct);
        Versions = all.Items.Where(v => !(v.IsLatest && !v.IsPublished) && v.Version != Instance.DefinitionVersion)
            .Select(v => v.Version).Order().ToList();
        return null;
    }
}
