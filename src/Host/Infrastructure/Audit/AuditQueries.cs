using System.Globalization;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using static Exit.Host.Infrastructure.Audit.AuditEndpoints;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The audit log's read side for the API (<see cref="AuditEndpoints"/>) and the admin pages alike: search, CSV export
/// (itself audited), the whole-chain check, and a citizen's access log (audited; staff identities withheld).
/// </summary>
public sealed class AuditQueries(ExitIdentityDbContext db, IAuditLog audit, TimeProvider clock)
{
    public async Task<AuditPage> SearchAsync(SearchArgs args, CancellationToken ct)
    {
        var page = Math.Max(0, args.Page ?? 0);
        var size = Math.Clamp(args.PageSize ?? 100, 1, MaxPageSize);
        var query = Filter(args);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(page * size).Take(size).ToListAsync(ct);
        return new AuditPage(items.Select(ToDto).ToList(), total, page, size);
    }

    /// <summary>The filtered entries as CSV (UTF-8 with BOM, oldest first, at most <see cref="MaxExportRows"/>) and a file name; the export is audited.</summary>
    public async Task<(byte[] Content, string FileName)> ExportCsvAsync(SearchArgs args, CancellationToken ct)
    {
        var rows = await Filter(args).OrderBy(e => e.At).ThenBy(e => e.Id).Take(MaxExportRows).ToListAsync(ct);
        var csv = new StringBuilder();
        csv.Append("id,at,userId,userName,action,resourceType,resourceId,citizenId,purpose,outcome,ip,apiKeyId\r\n");
        foreach (var e in rows)
        {
            csv.AppendJoin(',', [
                e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), Cell(e.UserId), Cell(e.UserName),
                e.Action.ToString(), Cell(e.ResourceType), Cell(e.ResourceId), Cell(e.CitizenId), Cell(e.Purpose), e.Outcome.ToString(), Cell(e.Ip), Cell(e.ApiKeyId)]);
            csv.Append("\r\n");
        }

        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "audit-log", null, args.CitizenId, $"audit export of {rows.Count} rows"), ct: ct);
        var name = $"exit-audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        return (Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), name);
    }

    /// <summary>Verifies the whole hash chain.</summary>
    public async Task<ChainReport> VerifyChainAsync(CancellationToken ct)
    {
        var result = await AuditChain.VerifyAsync(db, tail: null, ct);
        return new ChainReport(result.Intact, result.Checked, result.FirstBrokenId, result.LastId);
    }

    /// <summary>For a citizen's request: allowed accesses to their data, oldest first, without who; the answer is audited.</summary>
    public async Task<CitizenAccessLog> CitizenAccessLogAsync(string citizenId, CancellationToken ct)
    {
        var items = await db.AuditEntries.AsNoTracking()
            .Where(e => e.CitizenId == citizenId && e.Outcome == AuditOutcome.Allowed)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CitizenAccess(e.At, e.Action.ToString(), e.ResourceType, e.Purpose))
            .ToListAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "citizen-access-log", citizenId, citizenId, "citizen's request for their access log"), ct: ct);
        return new CitizenAccessLog(citizenId, items);
    }

    private IQueryable<AuditEntry> Filter(SearchArgs args)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(args.UserId)) query = query.Where(e => e.UserId == args.UserId);
        if (!string.IsNullOrEmpty(args.UserName)) query = query.Where(e => e.UserName == args.UserName);
        if (!string.IsNullOrEmpty(args.CitizenId)) query = query.Where(e => e.CitizenId == args.CitizenId);
        if (args.From is { } from) query = query.Where(e => e.At >= from);
        if (args.To is { } to) query = query.Where(e => e.At < to);
        if (args.Action is { } action) query = query.Where(e => e.Action == action);
        if (args.Outcome is { } outcome) query = query.Where(e => e.Outcome == outcome);
        return query;
    }

    private static AuditEntryDto ToDto(AuditEntry e) =>
        new(e.Id, e.At, e.UserId, e.UserName, e.Action.ToString(), e.ResourceType, e.ResourceId, e.CitizenId, e.Purpose, e.Outcome.ToString(), e.Ip, e.ApiKeyId);

    /// <summary>RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
