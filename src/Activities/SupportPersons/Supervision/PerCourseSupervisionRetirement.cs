using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.SupportPersons.Supervision;

/// <summary>
/// A start-up step (after the stores' migrations): open per-course supervision tasks (<c>cti.supervision</c>, raised by
/// <see cref="RaiseSupervision"/> before supervision became a series per team) are cancelled with a note saying why, so no
/// one is asked to hold a session per citizen any more. Runs every start; finds nothing once done. Start-up has no
/// municipality of its own: it finds the municipalities that have such tasks and cancels each one's inside its scope.
/// </summary>
public static class PerCourseSupervisionRetirement
{
    public static async Task<int> RetireAsync(TaskDbContextFactory tasks, TimeProvider clock, CancellationToken ct)
    {
        List<string> tenants;
        await using (var db = tasks.Create())
        {
            // Across municipalities on purpose (only the tenant ids are read): the update below runs in each one's scope.
            tenants = await db.Tasks.IgnoreQueryFilters()
                .Where(t => t.Kind == CtiTaskKinds.Supervision && t.Status == HumanTaskStatus.Open)
                .Select(t => t.TenantId).Distinct().ToListAsync(ct);
        }

        var retired = 0;
        foreach (var tenant in tenants)
        {
            using var scope = TenantScope.Enter(tenant);
            retired += await RetireInScopeAsync(tasks, clock, ct);
        }

        return retired;
    }

    private static async Task<int> RetireInScopeAsync(TaskDbContextFactory tasks, TimeProvider clock, CancellationToken ct)
    {
        await using var db = tasks.Create();
        DateTimeOffset? at = clock.GetUtcNow();
        var data = new JsonObject { ["cancellationReason"] = RaiseSupervision.RetiredReason }.ToJsonString();
        return await db.Tasks.Where(t => t.Kind == CtiTaskKinds.Supervision && t.Status == HumanTaskStatus.Open)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, HumanTaskStatus.Cancelled)
                .SetProperty(t => t.CancelledAt, at)
                .SetProperty(t => t.DataJson, data)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }
}
