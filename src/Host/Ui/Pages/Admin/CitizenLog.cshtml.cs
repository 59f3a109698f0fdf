using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Admin;

/// <summary>
/// A citizen's request for their access log: when their data was used, how and why, without staff identities.
/// Through <see cref="AuditQueries"/>, as the API; answering is itself audited.
/// </summary>
public sealed class CitizenLogModel(AuditQueries audit) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? CitizenId { get; set; }

    public AuditEndpoints.CitizenAccessLog? Log { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(CitizenId)) Log = await audit.CitizenAccessLogAsync(CitizenId.Trim(), ct);
    }
}
