using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Activities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// Overdue steps across the team (open tasks past their due date): worker, phase, step type, days overdue; sorted and
/// filtered by query string; the table refreshes itself (<c>?handler=Rows</c>). Shows ids and kinds, never citizen data.
/// </summary>
public sealed class OverdueModel(UiQueries queries, UiAccess access, TimeProvider clock,
    Exit.Activities.SupportPersons.Supervision.SupervisionSeriesService supervision) : PageModel
{
    public static readonly string[] Sorts = ["days", "worker", "phase", "kind"];

    /// <summary>The step types the CTI course raises, offered in the filter even before one is overdue.</summary>
    public static readonly string[] KnownKinds =
    [
        CtiTaskKinds.NextContact, CtiTaskKinds.Clarification, CtiTaskKinds.BaselineEvaluation,
        CtiTaskKinds.ActivityPlanDraft, CtiTaskKinds.PhaseReview, CtiTaskKinds.PhaseChangeEvaluation, CtiTaskKinds.NetworkMeeting,
        CtiTaskKinds.LongTermPlan, CtiTaskKinds.NetworkAgreement, CtiTaskKinds.FinalEvaluation, CtiTaskKinds.ClosingMeeting,
        CtiTaskKinds.Supervision, CtiTaskKinds.FirstContactMeeting, CtiTaskKinds.ContactMeeting, CtiTaskKinds.FollowUp,
    ];

    [BindProperty(SupportsGet = true)] public string? Worker { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phase { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "days";
    [BindProperty(SupportsGet = true)] public int Refresh { get; set; } = 30;
    [BindProperty(SupportsGet = true)] public string? Reassigned { get; set; }

    public IReadOnlyList<UiOverdueRow> All { get; private set; } = [];
    public IReadOnlyList<UiOverdueRow> Rows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>Months an active support-and-contact person had no held supervision she attended (not part of the refreshed table).</summary>
    public IReadOnlyList<Exit.Activities.SupportPersons.Supervision.MissedSupervision> MissedSupervision { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        MissedSupervision = await supervision.MissedAsync(Now, ct);
        await access.RecordAsync(User, AuditAction.Search, AuditResource, null, AuditPurpose, ct);
    }

    /// <summary>
    /// The table's auto-refresh: only the page's script asks for <c>?handler=Rows</c>, so the handler is the mark. Logged
    /// through <see cref="UiAccess.RecordRefreshAsync"/>: an open page is not a new search every 30 seconds.
    /// </summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await access.RecordRefreshAsync(User, AuditAction.Search, AuditResource, AuditPurpose, ct);
        return Partial("_OverdueRows", this);
    }

    private const string AuditResource = "overdue-steps";
    private const string AuditPurpose = "management";

    public string QueryWith(string? sort = null) =>
        "?" + string.Join("&", new[]
        {
            Worker is { Length: > 0 } ? "worker=" + Uri.EscapeDataString(Worker) : null,
            Phase is { Length: > 0 } ? "phase=" + Uri.EscapeDataString(Phase) : null,
            Kind is { Length: > 0 } ? "kind=" + Uri.EscapeDataString(Kind) : null,
            "sort=" + Uri.EscapeDataString(sort ?? Sort),
            Refresh != 30 ? "refresh=" + Refresh : null,
        }.OfType<string>());

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        All = await queries.OverdueAsync(ct);
        IEnumerable<UiOverdueRow> rows = All;
        if (!string.IsNullOrEmpty(Worker)) rows = rows.Where(r => r.Assignee == Worker);
        if (!string.IsNullOrEmpty(Phase)) rows = rows.Where(r => r.Period == Phase);
        if (!string.IsNullOrEmpty(Kind)) rows = rows.Where(r => r.Kind == Kind);
        Rows = (Sort switch
        {
            "worker" => rows.OrderBy(r => r.Assignee ?? r.Role, StringComparer.Ordinal).ThenByDescending(r => r.DaysOverdue),
            "phase" => rows.OrderBy(r => r.Period, StringComparer.Ordinal).ThenByDescending(r => r.DaysOverdue),
            "kind" => rows.OrderBy(r => r.Kind, StringComparer.Ordinal).ThenByDescending(r => r.DaysOverdue),
            _ => rows.OrderByDescending(r => r.DaysOverdue).ThenBy(r => r.DueAt),
        }).ToList();
        Refresh = Math.Clamp(Refresh, 1, 3600);
    }
}
