using System.Security.Claims;
using Exit.Host.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The access log for requests a page makes by itself (the manager's overdue list re-fetches its table every 30
/// seconds while it is open). Each refresh is a read and is checked, but one written entry per user, search and
/// <see cref="Window"/> says who looked at what and when as well as forty would: the repeats only bury the entries
/// a spot check is looking for. The entry is skipped only when the same user wrote an identical one (action,
/// resource, citizen, purpose, outcome) within the window, so the page's opening counts and the log shows the page
/// still open at least every <see cref="Window"/>. Anything a person asks for — opening, reloading, filtering — is
/// written through <see cref="IAuditLog"/> as always.
/// </summary>
public sealed class AutoRefreshAudit(IAuditLog audit, IDbContextFactory<ExitIdentityDbContext> contexts, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Writes <paramref name="record"/> unless this user's identical entry is younger than <see cref="Window"/>; true when written.</summary>
    public async Task<bool> WriteAsync(AuditRecord record, ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        if (userId is not null && await RecentlyWrittenAsync(record, userId, ct)) return false;
        await audit.WriteAsync(record, user, ct);
        return true;
    }

    private async Task<bool> RecentlyWrittenAsync(AuditRecord r, string userId, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - Window;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().AnyAsync(e =>
            e.UserId == userId && e.At >= since && e.Action == r.Action && e.ResourceType == r.ResourceType
            && e.ResourceId == r.ResourceId && e.CitizenId == r.CitizenId && e.Purpose == r.Purpose && e.Outcome == r.Outcome, ct);
    }
}
