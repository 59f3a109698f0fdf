using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Reports;

/// <summary>What a report reads besides the courses themselves: each part costs a full read of its table.</summary>
[Flags]
public enum ReportParts
{
    None = 0,

    /// <summary>Evaluations and the citizens' target-group descriptors (the outcome report).</summary>
    Outcomes = 1,

    /// <summary>Logged contacts and handover agreements (the fidelity report).</summary>
    Fidelity = 2,

    All = Outcomes | Fidelity,
}

/// <summary>
/// Loads what the reports compute from, in a few set-based queries (no per-course round trips) that run side by side,
/// each on its own connection: courses, their citizens' descriptors, evaluations, the latest revision of each contact
/// (kind and time only, never a note; the latest is chosen by the database), the completion of each course's handover
/// agreement task, and the staffing table. Only the parts a report uses are read.
/// </summary>
public sealed class ReportData(CtiDbContextFactory contexts, TaskDbContextFactory tasks, ReportCourseCache cache)
{
    public async Task<IReadOnlyList<ReportCourse>> CoursesAsync(ReportParts parts, CancellationToken ct)
    {
        var outcomes = parts.HasFlag(ReportParts.Outcomes);
        var fidelity = parts.HasFlag(ReportParts.Fidelity);
        // Each read runs on the thread pool with its own context: SQLite's "async" reads run synchronously on the caller.
        var courses = Task.Run(() => LoadCoursesAsync(outcomes, fidelity, ct), ct);
        var citizens = outcomes ? Task.Run(() => DescriptorsAsync(ct), ct) : Task.FromResult(new Dictionary<string, TargetGroupDescriptors>());
        var agreements = fidelity ? Task.Run(() => AgreementsAsync(ct), ct) : Task.FromResult(new Dictionary<string, DateTimeOffset>());
        var staffing = Task.Run(() => StaffingAsync(ct), ct);
        await Task.WhenAll(courses, citizens, agreements, staffing);

        var teams = staffing.Result.GroupBy(s => s.Worker, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(s => s.From)!.Team, StringComparer.Ordinal);
        return courses.Result.Select(c => new ReportCourse(
                c.Entry.Course,
                citizens.Result.GetValueOrDefault(c.CitizenId) ?? TargetGroupDescriptors.None,
                teams.GetValueOrDefault(c.Entry.Course.ResponsibleWorkerId.Value),
                outcomes ? c.Entry.Evaluations! : [],
                fidelity ? c.Entry.Contacts! : [],
                agreements.Result.TryGetValue(c.Id, out var agreed) ? agreed : null))
            .ToList();
    }

    /// <summary>The responsible workers of all courses (for the filters), without loading the courses.</summary>
    public async Task<IReadOnlyList<string>> ResponsibleWorkersAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Courses.AsNoTracking().Select(c => c.ResponsibleWorker).Distinct().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<StaffingPeriod>> StaffingAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return (await db.Staffing.AsNoTracking().Select(s => new { s.WorkerId, s.Team, s.FtePercent, s.ValidFrom }).ToListAsync(ct))
            .Select(s => new StaffingPeriod(s.WorkerId, s.Team, s.FtePercent / 100m, s.ValidFrom))
            .OrderBy(s => s.Worker, StringComparer.Ordinal).ThenBy(s => s.From)
            .ToList();
    }

    /// <summary>Every staffing row with who recorded it, newest first per worker (the staffing page and API).</summary>
    public async Task<IReadOnlyList<StaffingEntry>> StaffingEntriesAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return (await db.Staffing.AsNoTracking().ToListAsync(ct))
            .Select(s => new StaffingEntry(s.WorkerId, s.Team, s.FtePercent, s.ValidFrom, s.RecordedBy, s.RecordedAt))
            .OrderBy(s => s.Worker, StringComparer.Ordinal).ThenByDescending(s => s.From)
            .ToList();
    }

    /// <summary>
    /// Records a worker's team and full-time equivalent from a date on (a new row; history is kept). False, and nothing
    /// stored, when the worker already has a row from that instant (rows are never changed; record another date).
    /// </summary>
    public async Task<bool> RecordStaffingAsync(string worker, string team, int ftePercent, DateTimeOffset from, string by, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentException.ThrowIfNullOrWhiteSpace(team);
        ArgumentOutOfRangeException.ThrowIfNegative(ftePercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ftePercent, 100);
        await using var db = contexts.Create();
        if (await db.Staffing.AnyAsync(s => s.WorkerId == worker && s.ValidFrom == from, ct)) return false;
        db.Staffing.Add(new StaffingRecord
        {
            Id = Guid.CreateVersion7(now).ToString(), WorkerId = worker, Team = team.Trim(), FtePercent = ftePercent, ValidFrom = from,
            RecordedBy = by, RecordedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // The unique (worker, from) index: someone recorded the same row a moment ago. Anything else is rethrown.
            await using var check = contexts.Create();
            if (await check.Staffing.AnyAsync(s => s.WorkerId == worker && s.ValidFrom == from, ct)) return false;
            throw;
        }
    }

    private sealed record LoadedCourse(string Id, string CitizenId, CachedCourse Entry);

    /// <summary>
    /// Ids and versions of all courses, then, side by side, the JSON of the courses the cache does not hold at that
    /// version and the evaluations and contacts of those the cache holds without them (all of them on the first load).
    /// A course saved (or given a contact or evaluation) between the two reads comes back newer than its id row said:
    /// its cache entry keeps the older version, so the next load reads it again.
    /// </summary>
    private async Task<List<LoadedCourse>> LoadCoursesAsync(bool outcomes, bool fidelity, CancellationToken ct)
    {
        List<(string Id, string CitizenId, long Version)> heads;
        await using (var db = contexts.Create())
        {
            heads = (await db.Courses.AsNoTracking().Select(c => new { c.Id, c.CitizenId, c.Version }).ToListAsync(ct))
                .Select(h => (h.Id, h.CitizenId, h.Version)).ToList();
        }

        var entries = new Dictionary<string, CachedCourse>(heads.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var h in heads)
        {
            if (cache.Get(h.Id, h.Version) is { } entry) entries[h.Id] = entry;
            else missing.Add(h.Id);
        }

        // The evaluations and contacts to read: of the courses not cached, and of the cached ones that lack them.
        var needEvaluations = outcomes ? missing.Concat(entries.Where(e => e.Value.Evaluations is null).Select(e => e.Key)).ToList() : [];
        var needContacts = fidelity ? missing.Concat(entries.Where(e => e.Value.Contacts is null).Select(e => e.Key)).ToList() : [];
        var versions = heads.ToDictionary(h => h.Id, h => h.Version, StringComparer.Ordinal);
        var json = missing.Count > 0 ? Task.Run(() => CourseJsonAsync(missing, ct), ct) : Task.FromResult(new List<(string, long, string)>());
        var evaluations = needEvaluations.Count > 0 ? Task.Run(() => EvaluationsAsync(needEvaluations, ct), ct) : Task.FromResult(Empty<Evaluation>());
        var contacts = needContacts.Count > 0 ? Task.Run(() => ContactsAsync(needContacts, ct), ct) : Task.FromResult(Empty<ReportContact>());
        await Task.WhenAll(json, evaluations, contacts);

        // Restoring the courses is the largest part of a first load: spread over the cores.
        var restored = new System.Collections.Concurrent.ConcurrentBag<(string Id, CachedCourse Entry)>();
        Parallel.ForEach(json.Result, new ParallelOptions { CancellationToken = ct }, row =>
        {
            // A course read at a newer version than its id row said is kept at the id row's version: read again next time.
            restored.Add((row.Item1, cache.Add(row.Item1, versions[row.Item1], row.Item3)));
        });
        foreach (var (id, entry) in restored) entries[id] = entry;

        if (outcomes)
        {
            foreach (var id in needEvaluations)
                if (entries.TryGetValue(id, out var entry)) entry.Evaluations = evaluations.Result[id].ToList();
        }

        if (fidelity)
        {
            foreach (var id in needContacts)
                if (entries.TryGetValue(id, out var entry)) entry.Contacts = contacts.Result[id].ToList();
        }

        cache.Sweep();
        // A course erased between the two reads has no JSON: it is left out, as a later load would.
        // In id order: means are sums of doubles, and the same courses in the same order give the same last digit on any database.
        return heads.Where(h => entries.ContainsKey(h.Id)).OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new LoadedCourse(h.Id, h.CitizenId, entries[h.Id])).ToList();
    }

    /// <summary>The JSON of the given courses (of every course when they are many: a long id list costs more than reading every row once).</summary>
    private async Task<List<(string Id, long Version, string Json)>> CourseJsonAsync(List<string> ids, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var query = db.Courses.AsNoTracking();
        if (ids.Count <= MaxIdsPerRead) query = query.Where(c => ids.Contains(c.Id));
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return (await query.Select(c => new { c.Id, c.Version, c.StateJson }).ToListAsync(ct))
            .Where(r => wanted.Contains(r.Id)).Select(r => (r.Id, r.Version, r.StateJson)).ToList();
    }

    private const int MaxIdsPerRead = 500;

    private async Task<Dictionary<string, TargetGroupDescriptors>> DescriptorsAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Citizens.AsNoTracking()
            .Select(c => new { c.Id, c.AgeBand, c.Gender, c.ProstitutionForm, c.MainIncome, c.Debt, c.MentalHealth, c.SubstanceUse, c.InterpreterNeeded })
            .ToDictionaryAsync(c => c.Id, c => new TargetGroupDescriptors(
                Parse<AgeBand>(c.AgeBand), Parse<Gender>(c.Gender), Parse<ProstitutionForm>(c.ProstitutionForm), Parse<MainIncome>(c.MainIncome),
                Parse<YesNo>(c.Debt), Parse<YesNo>(c.MentalHealth), Parse<YesNo>(c.SubstanceUse), Parse<YesNo>(c.InterpreterNeeded)), ct);
    }

    /// <summary>The evaluations without who recorded them; the instruments' answers read straight from their JSON.</summary>
    private async Task<ILookup<string, Evaluation>> EvaluationsAsync(List<string> courseIds, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var query = db.Evaluations.AsNoTracking();
        if (courseIds.Count <= MaxIdsPerRead) query = query.Where(e => courseIds.Contains(e.CourseId));
        var rows = await query
            .Select(e => new { e.CourseId, e.Kind, e.Date, e.Who5ItemsJson, e.PaidForSexFrequency, e.LifeSituationJson })
            .ToListAsync(ct);
        return rows.ToLookup(
            r => r.CourseId,
            r => new Evaluation(
                new CourseId(Guid.Parse(r.CourseId)),
                Enum.Parse<EvaluationKind>(r.Kind),
                r.Date,
                r.Who5ItemsJson is null ? null : Who5.FromItems(EvaluationJson.Items(r.Who5ItemsJson)),
                r.PaidForSexFrequency is null ? null : new PaidForSexLastMonth(Enum.Parse<SexSaleFrequency>(r.PaidForSexFrequency)),
                r.LifeSituationJson is null ? null : LifeSituationRating.Create(EvaluationJson.Ratings(r.LifeSituationJson))),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// The latest revision of each contact (a correction adds a revision), chosen in the query: no later revision of the
    /// same contact exists (the primary key's index answers that). Attempted contacts count in neither fidelity figure.
    /// </summary>
    private async Task<ILookup<string, ReportContact>> ContactsAsync(List<string> courseIds, CancellationToken ct)
    {
        var attempted = nameof(ContactKind.Attempted);
        await using var db = contexts.Create();
        var query = db.Contacts.AsNoTracking();
        if (courseIds.Count <= MaxIdsPerRead) query = query.Where(c => courseIds.Contains(c.CourseId));
        var rows = await query
            .Where(c => !db.Contacts.Any(later => later.ContactId == c.ContactId && later.Revision > c.Revision))
            .Where(c => c.Kind != attempted)
            .Select(c => new { c.CourseId, c.Kind, c.StartedAt })
            .ToListAsync(ct);
        var kinds = Enum.GetValues<ContactKind>().ToDictionary(k => k.ToString(), StringComparer.Ordinal);
        return rows.ToLookup(c => c.CourseId, c => new ReportContact(kinds[c.Kind], c.StartedAt), StringComparer.Ordinal);
    }

    /// <summary>When each course's handover agreement was first completed.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> AgreementsAsync(CancellationToken ct)
    {
        await using var taskDb = tasks.Create();
        return (await taskDb.Tasks.AsNoTracking()
                .Where(t => t.Kind == CtiTaskKinds.NetworkAgreement && t.Status == HumanTaskStatus.Completed && t.CorrelationId != null && t.CompletedAt != null)
                .Select(t => new { t.CorrelationId, t.CompletedAt })
                .ToListAsync(ct))
            .GroupBy(t => t.CorrelationId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(t => t.CompletedAt!.Value), StringComparer.Ordinal);
    }

    private static ILookup<string, T> Empty<T>() => Array.Empty<(string, T)>().ToLookup(p => p.Item1, p => p.Item2);

    private static T? Parse<T>(string? value) where T : struct, Enum => Enum.TryParse<T>(value, out var v) ? v : null;
}
