using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.SupportPersons.Supervision;

public sealed record AttendanceView(Guid SupportPersonId, string DisplayName, bool Attended, string? Note);

public sealed record SessionView(
    Guid Id, DateOnly PeriodStart, DateTimeOffset PlannedAt, string Status, string Format, DateOnly? HeldOn, IReadOnlyList<AttendanceView> Attendance);

public sealed record SeriesView(Guid Id, string Kind, string? Team, string Cadence, IReadOnlyList<SessionView> Sessions);

/// <summary>A month in which an active SKP had no held supervision that she attended.</summary>
public sealed record MissedSupervision(Guid SupportPersonId, string DisplayName, string Team, DateOnly Month);

/// <summary>One SKP's line in a held session: present or not, and the psychologist's note for her.</summary>
public sealed record AttendanceInput(Guid SupportPersonId, bool Attended, string? Note);

/// <summary>
/// Supervision as series, not per citizen: each SKP team has one monthly series with the municipality's psychologist
/// (seed 000: once a month, may be held jointly), the CTI workers one at a configured cadence. <see cref="PlanAsync"/>
/// creates each period's session once (a unique key per series and period), whenever and however often it runs, so the
/// number of sessions follows the calendar, never the number of citizens or when their courses started. The psychologist
/// records a session as held with attendance per SKP and a note per SKP, which only she and that SKP read.
/// </summary>
public sealed class SupervisionSeriesService(SupportPersonsDbContextFactory contexts, TimeProvider clock, ILogger<SupervisionSeriesService> logger)
{
    public const int MaxNoteLength = 4000;
    public const string WorkersKey = "workers";

    public static string TeamKey(string team) => "team:" + team.Trim().ToUpperInvariant();

    /// <summary>The team's monthly series; a new team's series gets this month's session at once (the planner does the months after).</summary>
    public async Task EnsureTeamSeriesAsync(string team, CancellationToken ct)
    {
        if (await EnsureSeriesAsync(TeamKey(team), SupervisionSeriesKind.SupportPersonTeam, team.Trim(), SupervisionCadence.Monthly, SupervisionFormat.Group, ct))
            await PlanAsync(clock.GetUtcNow(), ct);
    }

    /// <summary>The workers' series at <paramref name="cadence"/> (a changed cadence applies from the next period planned).</summary>
    public async Task EnsureWorkerSeriesAsync(SupervisionCadence cadence, CancellationToken ct)
    {
        await EnsureSeriesAsync(WorkersKey, SupervisionSeriesKind.Workers, null, cadence, SupervisionFormat.Group, ct);
        await using var db = contexts.Create();
        var row = await db.Series.AsTracking().FirstAsync(s => s.SeriesKey == WorkersKey, ct);
        if (row.Cadence == cadence.ToString()) return;
        row.Cadence = cadence.ToString();
        row.FirstPeriod = SupervisionCalendar.Key(SupervisionCalendar.PeriodStart(cadence, SupervisionCalendar.Today(clock.GetUtcNow())));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Creates the series unless it exists; true when this call created it.</summary>
    private async Task<bool> EnsureSeriesAsync(string key, SupervisionSeriesKind kind, string? team, SupervisionCadence cadence, SupervisionFormat format, CancellationToken ct)
    {
        await using var db = contexts.Create();
        if (await db.Series.AsNoTracking().AnyAsync(s => s.SeriesKey == key, ct)) return false;
        var now = clock.GetUtcNow();
        db.Series.Add(new SupervisionSeriesRecord
        {
            Id = Guid.CreateVersion7(now).ToString(), SeriesKey = key, Kind = kind.ToString(), Team = team, Cadence = cadence.ToString(),
            Format = format.ToString(), FirstPeriod = SupervisionCalendar.Key(SupervisionCalendar.PeriodStart(cadence, SupervisionCalendar.Today(now))),
            Active = true, CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Supervision series {SeriesKind} created", kind);
            return true;
        }
        catch (DbUpdateException)
        {
            // Created at the same moment by another request or host: the unique key kept it to one.
            if (!await ExistsAsync(key, ct)) throw;
            return false;
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Series.AsNoTracking().AnyAsync(s => s.SeriesKey == key, ct);
    }

    /// <summary>
    /// Creates every missing session from each active series' first period up to the period holding <paramref name="now"/>;
    /// returns how many it created. Safe to run again and from several hosts (the unique key keeps one per period).
    /// </summary>
    public async Task<int> PlanAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = SupervisionCalendar.Today(now);
        await using var db = contexts.Create();
        var series = await db.Series.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        var created = 0;
        foreach (var s in series)
        {
            var cadence = Enum.Parse<SupervisionCadence>(s.Cadence);
            var have = (await db.Sessions.AsNoTracking().Where(x => x.SeriesId == s.Id).Select(x => x.PeriodStart).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            foreach (var period in SupervisionCalendar.Periods(cadence, SupervisionCalendar.Parse(s.FirstPeriod), today))
            {
                var key = SupervisionCalendar.Key(period);
                if (have.Contains(key)) continue;
                created += await AddSessionAsync(s, cadence, period, key, now, ct);
            }
        }

        if (created > 0) logger.LogInformation("Supervision planned: {Count} sessions", created);
        return created;
    }

    private async Task<int> AddSessionAsync(SupervisionSeriesRecord s, SupervisionCadence cadence, DateOnly period, string key, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        db.Sessions.Add(new SupervisionSessionRecord
        {
            Id = Guid.CreateVersion7(now).ToString(), SeriesId = s.Id, PeriodStart = key, PlannedAt = SupervisionCalendar.PlannedStart(cadence, period),
            Status = nameof(SupervisionSessionStatus.Planned), Format = s.Format,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return 1;
        }
        catch (DbUpdateException)
        {
            return 0; // another planner created it first
        }
    }

    /// <summary>
    /// The series with their sessions whose period starts in [from, to]; attendance with names, and the notes only when
    /// <paramref name="withNotes"/> (the psychologist). Team series first, by team.
    /// </summary>
    public async Task<IReadOnlyList<SeriesView>> SeriesAsync(DateOnly from, DateOnly to, bool withNotes, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var series = await db.Series.AsNoTracking().ToListAsync(ct);
        var (lo, hi) = (SupervisionCalendar.Key(from), SupervisionCalendar.Key(to));
        var sessions = await db.Sessions.AsNoTracking().Where(x => string.Compare(x.PeriodStart, lo) >= 0 && string.Compare(x.PeriodStart, hi) <= 0).ToListAsync(ct);
        var sessionIds = sessions.Select(x => x.Id).ToList();
        var attendance = await db.Attendance.AsNoTracking().Where(a => sessionIds.Contains(a.SessionId)).ToListAsync(ct);
        var names = await db.SupportPersons.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        return series
            .OrderBy(s => s.Kind == nameof(SupervisionSeriesKind.Workers)).ThenBy(s => s.Team, StringComparer.OrdinalIgnoreCase)
            .Select(s => new SeriesView(Guid.Parse(s.Id), s.Kind, s.Team, s.Cadence, sessions.Where(x => x.SeriesId == s.Id).OrderBy(x => x.PeriodStart, StringComparer.Ordinal)
                .Select(x => ToView(x, attendance.Where(a => a.SessionId == x.Id), names, withNotes)).ToList()))
            .ToList();
    }

    /// <summary>The team's active SKPs (whose attendance the psychologist records) for each team series.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<(Guid Id, string DisplayName)>>> TeamMembersAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var people = await db.SupportPersons.AsNoTracking().Where(p => p.Status == nameof(SupportPersonStatus.Active)).OrderBy(p => p.DisplayName).ToListAsync(ct);
        return people.GroupBy(p => TeamKey(p.Team))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(Guid, string)>)g.Select(p => (Guid.Parse(p.Id), p.DisplayName)).ToList());
    }

    /// <summary>
    /// Records a session as held on <paramref name="heldOn"/> (within its period, not in the future), its format and each
    /// SKP's attendance and note (replacing what was recorded before). Only SKPs of the series' team. 400 naming each field.
    /// </summary>
    public async Task<SessionView> RecordAsync(Guid sessionId, string? heldOn, string? format, IReadOnlyList<AttendanceInput> attendance, string by, CancellationToken ct)
    {
        var problems = new List<SupportPersonProblem>();
        await using var db = contexts.Create();
        var key = sessionId.ToString();
        var session = await db.Sessions.AsTracking().FirstOrDefaultAsync(x => x.Id == key, ct) ?? throw new SupportPersonNotFoundException("Supervision session", key);
        var series = await db.Series.AsNoTracking().FirstAsync(s => s.Id == session.SeriesId, ct);
        var cadence = Enum.Parse<SupervisionCadence>(series.Cadence);
        var period = SupervisionCalendar.Parse(session.PeriodStart);
        var date = SupportPersonValidation.Date(heldOn, "heldOn", required: true, problems);
        var now = clock.GetUtcNow();
        if (date is { } d && (d < period || d >= SupervisionCalendar.NextPeriod(cadence, period)))
            problems.Add(new("heldOn", "The date lies outside the session's period."));
        else if (date is { } d2 && d2 > SupervisionCalendar.Today(now))
            problems.Add(new("heldOn", "A session cannot be recorded as held on a date that has not come yet."));
        var fmt = SupervisionFormat.Group;
        if (!string.IsNullOrWhiteSpace(format) && !SupportPersonValidation.TryName(format, out fmt))
            problems.Add(new("format", $"One of: {string.Join(", ", Enum.GetNames<SupervisionFormat>())}."));
        var members = series.Team is null ? [] : await db.SupportPersons.AsNoTracking().Where(p => p.Team == series.Team).Select(p => p.Id).ToListAsync(ct);
        for (var i = 0; i < attendance.Count; i++)
        {
            if (!members.Contains(attendance[i].SupportPersonId.ToString()))
                problems.Add(new($"attendance[{i}].supportPersonId", "Not a support-and-contact person of this team."));
            if (attendance[i].Note is { Length: > MaxNoteLength })
                problems.Add(new($"attendance[{i}].note", $"At most {MaxNoteLength} characters."));
        }

        if (attendance.GroupBy(a => a.SupportPersonId).Any(g => g.Count() > 1)) problems.Add(new("attendance", "One line per support-and-contact person."));
        if (problems.Count > 0) throw new SupportPersonValidationException(problems);

        session.Status = nameof(SupervisionSessionStatus.Held);
        session.Format = fmt.ToString();
        session.HeldOn = SupervisionCalendar.Key(date!.Value);
        session.RecordedBy = by;
        session.RecordedAt = now;
        db.Attendance.RemoveRange(await db.Attendance.AsTracking().Where(a => a.SessionId == key).ToListAsync(ct));
        foreach (var a in attendance)
        {
            db.Attendance.Add(new SupervisionAttendanceRecord
            {
                SessionId = key, SupportPersonId = a.SupportPersonId.ToString(), Attended = a.Attended,
                Note = string.IsNullOrWhiteSpace(a.Note) ? null : a.Note.Trim(), RecordedBy = by, RecordedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Supervision session {SessionId} held ({Count} attendance lines)", key, attendance.Count);
        var names = await db.SupportPersons.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var lines = await db.Attendance.AsNoTracking().Where(a => a.SessionId == key).ToListAsync(ct);
        return ToView(session, lines, names, withNotes: true);
    }

    /// <summary>One SKP's sessions (her team's), each with her own attendance and note only.</summary>
    public async Task<IReadOnlyList<SessionView>> SessionsOfAsync(Guid supportPersonId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var key = supportPersonId.ToString();
        var person = await db.SupportPersons.AsNoTracking().FirstOrDefaultAsync(p => p.Id == key, ct);
        if (person is null) return [];
        var seriesKey = TeamKey(person.Team);
        var series = await db.Series.AsNoTracking().FirstOrDefaultAsync(s => s.SeriesKey == seriesKey, ct);
        if (series is null) return [];
        var sessions = await db.Sessions.AsNoTracking().Where(x => x.SeriesId == series.Id).OrderBy(x => x.PeriodStart).ToListAsync(ct);
        var ids = sessions.Select(x => x.Id).ToList();
        var mine = await db.Attendance.AsNoTracking().Where(a => a.SupportPersonId == key && ids.Contains(a.SessionId)).ToListAsync(ct);
        var names = new Dictionary<string, string> { [key] = person.DisplayName };
        return sessions.Select(x => ToView(x, mine.Where(a => a.SessionId == x.Id), names, withNotes: true)).ToList();
    }

    /// <summary>
    /// Months (fully past, at most the last twelve) since an active SKP's agreement started — and since her team's series
    /// began — without a held session of her team that she attended. Paused and ended SKPs owe nothing.
    /// </summary>
    public async Task<IReadOnlyList<MissedSupervision>> MissedAsync(DateTimeOffset now, CancellationToken ct)
    {
        var thisMonth = SupervisionCalendar.PeriodStart(SupervisionCadence.Monthly, SupervisionCalendar.Today(now));
        await using var db = contexts.Create();
        var people = await db.SupportPersons.AsNoTracking().Where(p => p.Status == nameof(SupportPersonStatus.Active)).ToListAsync(ct);
        var series = await db.Series.AsNoTracking().Where(s => s.Kind == nameof(SupervisionSeriesKind.SupportPersonTeam)).ToListAsync(ct);
        var seriesIds = series.Select(s => s.Id).ToList();
        var held = await db.Sessions.AsNoTracking().Where(x => seriesIds.Contains(x.SeriesId) && x.Status == nameof(SupervisionSessionStatus.Held)).ToListAsync(ct);
        var heldIds = held.Select(x => x.Id).ToList();
        var present = await db.Attendance.AsNoTracking().Where(a => a.Attended && heldIds.Contains(a.SessionId)).ToListAsync(ct);
        var result = new List<MissedSupervision>();
        foreach (var p in people)
        {
            var s = series.FirstOrDefault(x => x.SeriesKey == TeamKey(p.Team));
            if (s is null) continue;
            var from = Max(SupervisionCalendar.PeriodStart(SupervisionCadence.Monthly, SupervisionCalendar.Parse(p.AgreementStart)), SupervisionCalendar.Parse(s.FirstPeriod));
            from = Max(from, thisMonth.AddMonths(-12));
            for (var month = from; month < thisMonth; month = month.AddMonths(1))
            {
                var key = SupervisionCalendar.Key(month);
                var attended = held.Any(x => x.SeriesId == s.Id && x.PeriodStart == key && present.Any(a => a.SessionId == x.Id && a.SupportPersonId == p.Id));
                if (!attended) result.Add(new MissedSupervision(Guid.Parse(p.Id), p.DisplayName, p.Team, month));
            }
        }

        return result.OrderBy(m => m.Month).ThenBy(m => m.Team, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static SessionView ToView(SupervisionSessionRecord x, IEnumerable<SupervisionAttendanceRecord> lines, IReadOnlyDictionary<string, string> names, bool withNotes) => new(
        Guid.Parse(x.Id), SupervisionCalendar.Parse(x.PeriodStart), x.PlannedAt, x.Status, x.Format, x.HeldOn is null ? null : SupervisionCalendar.Parse(x.HeldOn),
        lines.Select(a => new AttendanceView(Guid.Parse(a.SupportPersonId), names.GetValueOrDefault(a.SupportPersonId, "?"), a.Attended, withNotes ? a.Note : null)).ToList());
}
