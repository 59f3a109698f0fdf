using Exit.Host.Infrastructure.Audit;
using Exit.Activities.HumanTasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Worker;

/// <summary>Mine opgaver: the signed-in worker's open tasks, overdue first, then by due date; filters by type, overdue, due within.</summary>
public sealed class TasksModel(TaskQueries tasks, UiQueries queries, UiAccess access, TimeProvider clock) : PageModel
{
    public static readonly string[] KindGroups = ["meeting", "evaluation", "plan", "handover", "follow-up", "supervision"];

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public int? Within { get; set; }
    [BindProperty(SupportsGet = true)] public bool Completed { get; set; }

    public IReadOnlyList<TaskSummary> Items { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Aliases { get; private set; } = new Dictionary<string, string>();
    public int OpenCount { get; private set; }
    public int OverdueCount { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var name = UiAccess.UserName(User)!;
        var page = await tasks.ListAsync(new TaskFilter(Assignee: name, Status: HumanTaskStatus.Open, PageSize: TaskFilter.MaxPageSize, CountLimit: null), ct);
        OpenCount = page.TotalCount;
        OverdueCount = page.Items.Count(t => t.IsOverdue);
        var now = clock.GetUtcNow();
        IEnumerable<TaskSummary> items = page.Items;
        if (Overdue) items = items.Where(t => t.IsOverdue);
        if (Within is { } days and > 0) items = items.Where(t => t.DueAt is { } d && d <= now.AddDays(days));
        if (!string.IsNullOrEmpty(Kind)) items = items.Where(t => GroupOf(t.Kind) == Kind);
        Items = items.OrderByDescending(t => t.IsOverdue).ThenBy(t => t.DueAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        Aliases = await queries.AliasesAsync(name, ct);
        await access.RecordAsync(User, AuditAction.Search, "task", null, "casework: my tasks", ct);
        var citizens = await queries.CitizensOfAsync(Items.Select(t => t.CorrelationId).OfType<string>(), ct);
        foreach (var citizen in citizens) await access.RecordAsync(User, AuditAction.Read, "citizen", citizen, "casework: my tasks (alias)", ct, citizen);
    }

    public static string GroupOf(string? kind) => kind switch
    {
        null => "",
        "cti.follow-up" => "follow-up",
        "cti.supervision" => "supervision",
        _ when kind.StartsWith("cti.evaluation.", StringComparison.Ordinal) => "evaluation",
        "cti.activity-plan.draft" or "cti.phase-review" => "plan",
        "cti.handover.long-term-plan" or "cti.handover.network-agreement" => "handover",
        _ when kind.Contains("meeting", StringComparison.Ordinal) => "meeting",
        _ => "",
    };
}
