using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>Active courses per worker against the limit of 20 per full-time worker, with open and overdue tasks.</summary>
public sealed class CaseloadModel(UiQueries queries, UiAccess access) : PageModel
{
    public IReadOnlyList<UiCaseloadRow> Rows { get; private set; } = [];
    public int Limit => Caseload.MaxCitizensPerFullTimeWorker;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rows = await queries.CaseloadAsync(ct);
        await access.RecordAsync(User, AuditAction.Search, "caseload-figures", null, "management", ct);
    }
}
