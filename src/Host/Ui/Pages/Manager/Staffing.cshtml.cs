using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// Staffing for the fidelity report: each CTI worker's team and full-time equivalent from a date on (history kept, rows
/// never changed). The checks are the API's (<see cref="StaffingEndpoints.ValidateAsync"/>); every view and entry audited.
/// </summary>
public sealed class StaffingModel(ReportData data, UserManager<IdentityUser> users, UiAccess access, UiText text, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Worker { get; set; }
    [BindProperty] public string? Team { get; set; }
    [BindProperty] public int? FtePercent { get; set; }
    [BindProperty] public string? From { get; set; }

    public IReadOnlyList<StaffingEndpoints.StaffingRow> Rows { get; private set; } = [];
    public IReadOnlyList<string> Workers { get; private set; } = [];
    public IReadOnlyList<string> Teams { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync([FromQuery] string? done, CancellationToken ct)
    {
        if (done == "recorded") Messages.Status = text["staffing.recorded"];
        await LoadAsync(ct);
        await access.RecordAsync(User, AuditAction.Read, "staffing", null, "management: staffing", ct);
    }

    public async Task<IActionResult> OnPostRecordAsync(CancellationToken ct)
    {
        var (valid, failures) = await StaffingEndpoints.ValidateAsync(Worker, Team, FtePercent is { } p ? p / 100m : null, From, users, ct);
        if (valid is null)
        {
            foreach (var field in failures.Select(f => f.Field).Distinct()) Messages.Errors.Add(text.Format("staffing.invalid", text["staffing." + field]));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }

        if (!await data.RecordStaffingAsync(valid.Worker, valid.Team, valid.FtePercent, valid.From, UiAccess.UserName(User) ?? "unknown", clock.GetUtcNow(), ct))
        {
            Messages.Errors.Add(text["staffing.duplicate"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(ct);
            return Page();
        }

        await access.RecordAsync(User, AuditAction.Change, "staffing", valid.Worker, "management: staffing", ct);
        return Redirect("/manager/staffing?done=recorded");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rows = (await data.StaffingEntriesAsync(ct)).Select(StaffingEndpoints.ToRow).ToList();
        Workers = (await UserMunicipalities.UserNamesInRoleAsync(users, Infrastructure.Auth.ExitRoles.Worker, ct))
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        Teams = Rows.Select(r => r.Team).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Today = DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(clock.GetUtcNow()).DateTime);
    }
}
