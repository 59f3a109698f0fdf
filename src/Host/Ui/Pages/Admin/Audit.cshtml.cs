using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Admin;

/// <summary>
/// The audit log: search by user, citizen, dates, action and outcome (newest first), a link to the same filter as
/// CSV (the API's export, itself audited), and the whole-chain check (<c>?handler=Chain</c>). Reads through
/// <see cref="AuditQueries"/>, as the audit API does.
/// </summary>
public sealed class AuditModel(AuditQueries audit) : PageModel
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? CitizenId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public AuditAction? Action { get; set; }
    [BindProperty(SupportsGet = true)] public AuditOutcome? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public int Side { get; set; }

    public AuditEndpoints.AuditPage Result { get; private set; } = new([], 0, 0, PageSize);
    public AuditEndpoints.ChainReport? Chain { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Result = await audit.SearchAsync(Args(), ct);

    public async Task OnGetChainAsync(CancellationToken ct)
    {
        Chain = await audit.VerifyChainAsync(ct);
        Result = await audit.SearchAsync(Args(), ct);
    }

    /// <summary>The filter as the API's query string (dates as the start of the Copenhagen day; "to" includes its day).</summary>
    public string Query()
    {
        var args = Args();
        var parts = new List<string>();
        void Add(string name, string? value) { if (!string.IsNullOrEmpty(value)) parts.Add(name + "=" + Uri.EscapeDataString(value)); }
        Add("userId", args.UserId);
        Add("citizenId", args.CitizenId);
        Add("from", args.From?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", args.To?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Add("action", args.Action?.ToString());
        Add("outcome", args.Outcome?.ToString());
        return string.Join("&", parts);
    }

    /// <summary>This page's own query string for another page of results.</summary>
    public string PageQuery(int side)
    {
        var parts = new List<string>();
        void Add(string name, string? value) { if (!string.IsNullOrEmpty(value)) parts.Add(name + "=" + Uri.EscapeDataString(value)); }
        Add("userId", Blank(UserId));
        Add("citizenId", Blank(CitizenId));
        Add("from", From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("action", Action?.ToString());
        Add("outcome", Outcome?.ToString());
        Add("side", side.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join("&", parts);
    }

    private AuditEndpoints.SearchArgs Args() => new(
        Blank(UserId), null, Blank(CitizenId), Start(From), Start(To?.AddDays(1)), Action, Outcome, Math.Max(0, Side), PageSize);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Start(DateOnly? day)
    {
        if (day is not { } d) return null;
        var local = d.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Copenhagen.GetUtcOffset(local));
    }
}
