using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Application;

public sealed record EnquiryView(
    Guid Id, DateOnly ReceivedOn, string Channel, bool Anonymous, string? Alias, string? Decision, DateTimeOffset? DecidedAt, Guid? CourseId,
    string RecordedBy);

/// <summary>One cell of the enquiry table: a count, or null when it is 1–4 and suppressed (shown as "&lt;5").</summary>
public sealed record EnquiryCount(int Year, string Channel, string Outcome, int? Count, string Display);

/// <summary>
/// The intake register: enquiries and referrals before any course, their decision and the course they led to; and the
/// enquiry table of seed 004 (counts per channel and outcome per year) as a query, with small numbers suppressed.
/// Dates are Copenhagen calendar dates. Logs carry ids only.
/// </summary>
public sealed class IntakeRegister(CtiDbContextFactory contexts, TimeProvider clock, ILogger<IntakeRegister> logger)
{
    /// <summary>Cells below this count are shown as "&lt;5" (never 0, which reveals nothing).</summary>
    public const int SuppressBelow = 5;
    public const string Pending = "Pending";
    public const int MaxAliasLength = 100;

    public async Task<EnquiryView> RegisterAsync(DateOnly receivedOn, EnquiryChannel channel, bool anonymous, string? alias, string recordedBy, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var record = new EnquiryRecord
        {
            Id = id.ToString(), ReceivedOn = StartOfDay(receivedOn), Channel = channel.ToString(), Anonymous = anonymous,
            Alias = anonymous || string.IsNullOrWhiteSpace(alias) ? null : alias.Trim(), RecordedBy = recordedBy, CreatedAt = clock.GetUtcNow(),
        };
        await using var db = contexts.Create();
        db.Enquiries.Add(record);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Enquiry {EnquiryId} registered ({Channel})", id, channel);
        return ToView(record);
    }

    public async Task<EnquiryView> DecideAsync(Guid enquiryId, EnquiryDecision decision, Guid? courseId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var id = enquiryId.ToString();
        var record = await db.Enquiries.AsTracking().FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new CtiNotFoundException("Enquiry", id);
        record.Decision = decision.ToString();
        record.DecidedAt = clock.GetUtcNow();
        record.CourseId = courseId?.ToString();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Enquiry {EnquiryId} decided ({Decision}, course {CourseId})", id, decision, courseId);
        return ToView(record);
    }

    public async Task<EnquiryView?> GetAsync(Guid enquiryId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var id = enquiryId.ToString();
        return await db.Enquiries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } r ? ToView(r) : null;
    }

    /// <summary>Enquiries received on [from, to] (Copenhagen dates), newest first.</summary>
    public async Task<IReadOnlyList<EnquiryView>> ListAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (lo, hi) = (StartOfDay(from), StartOfDay(to.AddDays(1)));
        await using var db = contexts.Create();
        var rows = await db.Enquiries.AsNoTracking().Where(e => e.ReceivedOn >= lo && e.ReceivedOn < hi)
            .OrderByDescending(e => e.ReceivedOn).ThenByDescending(e => e.Id).Take(1000).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    /// <summary>Counts per year, channel and outcome (the decision, or <see cref="Pending"/>) for enquiries received on [from, to].</summary>
    public async Task<IReadOnlyList<EnquiryCount>> TableAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (lo, hi) = (StartOfDay(from), StartOfDay(to.AddDays(1)));
        await using var db = contexts.Create();
        var rows = await db.Enquiries.AsNoTracking().Where(e => e.ReceivedOn >= lo && e.ReceivedOn < hi)
            .Select(e => new { e.ReceivedOn, e.Channel, e.Decision }).ToListAsync(ct);
        return rows
            .GroupBy(r => (Year: DateOf(r.ReceivedOn).Year, r.Channel, Outcome: r.Decision ?? Pending))
            .OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Channel, StringComparer.Ordinal).ThenBy(g => g.Key.Outcome, StringComparer.Ordinal)
            .Select(g => Cell(g.Key.Year, g.Key.Channel, g.Key.Outcome, g.Count()))
            .ToList();
    }

    public static EnquiryCount Cell(int year, string channel, string outcome, int count) =>
        count is > 0 and < SuppressBelow ? new(year, channel, outcome, null, "<5") : new(year, channel, outcome, count, count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static DateTimeOffset StartOfDay(DateOnly date) => CopenhagenCalendar.FromWallClock(date.ToDateTime(TimeOnly.MinValue));

    private static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(at).DateTime);

    private static EnquiryView ToView(EnquiryRecord r) => new(
        Guid.Parse(r.Id), DateOf(r.ReceivedOn), r.Channel, r.Anonymous, r.Alias, r.Decision, r.DecidedAt,
        r.CourseId is null ? null : Guid.Parse(r.CourseId), r.RecordedBy);
}
