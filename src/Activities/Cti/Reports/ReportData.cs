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
        var courses = Task.Run(() => LoadCoursesAsync(ct), ct);
        var citizens = outcomes ? Task.Run(() => DescriptorsAsync(ct), ct) : Task.FromResult(new Dictionary<string, TargetGroupDescriptors>());
        var evaluations = outcomes ? Task.Run(() => EvaluationsAsync(ct), ct) : Task.FromResult(Empty<Evaluation>());
        var contacts = fidelity ? Task.Run(() => ContactsAsync(ct), ct) : Task.FromResult(Empty<ReportContact>());
        var agreements = fidelity ? Task.Run(() => AgreementsAsync(ct), ct) : Task.FromResult(new Dictionary<string, DateTimeOffset>());
        var staffing = Task.Run(() => StaffingAsync(ct), ct);
        await Task.WhenAll(courses, citizens, evaluations, contacts, agreements, staffing);

        var teams = staffing.Result.GroupBy(s => s.Worker, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(s => s.From)!.Team, StringComparer.Ordinal);
        return courses.Result.Select(c => new ReportCourse(
                c.Course,
                citizens.Result.GetValueOrDefault(c.CitizenId) ?? TargetGroupDescriptors.None,
                teams.GetValueOrDefault(c.Course.ResponsibleWorkerId.Value),
                evaluations.Result[c.Id].ToList(),
                contacts.Result[c.Id].ToList(),
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

    private sealed record LoadedCourse(string Id, string CitizenId, Course Course);

    /// <summary>
    /// Ids and versions of all courses, then the JSON of only those the cache does not hold at that version (all of them
    /// on the first load). A course saved between the two reads comes back newer than its id row said: the newer one is used.
    /// </summary>
    private async Task<List<LoadedCourse>> LoadCoursesAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var heads = await db.Courses.AsNoTracking().Select(c => new { c.Id, c.CitizenId, c.Version }).ToListAsync(ct);
        var cached = new Dictionary<string, Course>(heads.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var h in heads)
        {
            if (cache.Get(h.Id, h.Version) is { } course) cached[h.Id] = course;
            else missing.Add(h.Id);
        }

        if (missing.Count > 0)
        {
            var query = db.Courses.AsNoTracking();
            // A long id list costs more than reading every row's JSON once; beyond a few hundred, read them all.
            if (missing.Count <= MaxIdsPerRead) query = query.Where(c => missing.Contains(c.Id));
            var wanted = missing.ToHashSet(StringComparer.Ordinal);
            foreach (var row in await query.Select(c => new { c.Id, c.Version, c.StateJson }).ToListAsync(ct))
            {
                if (wanted.Contains(row.Id)) cached[row.Id] = cache.Add(row.Id, row.Version, row.StateJson);
            }
        }

        cache.Sweep();
        // A course erased between the two reads has no JSON: it is left out, as a later load would.
        // In id order: means are sums of doubles, and the same courses in the same order give the same last digit on any database.
        return heads.Where(h => cached.ContainsKey(h.Id)).OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new LoadedCourse(h.Id, h.CitizenId, cached[h.Id])).ToList();
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
    private async Task<ILookup<string, Evaluation>> EvaluationsAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.Evaluations.AsNoTracking()
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
    private async Task<ILookup<string, ReportContact>> ContactsAsync(CancellationToken ct)
    {
        var attempted = nameof(ContactKind.Attempted);
        await using var db = contexts.Create();
        var rows = await db.Contacts.AsNoTracking()
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
