using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Computes the <see cref="FidelityReport"/>: whether CTI is practised as the method says, from what workers record
/// (contacts, phases, pauses, assignments, focus areas, the handover agreement task), the staffing table and the
/// supervision held. Pure: the caller passes "now" and the months to look at.
/// </summary>
public static class FidelityCalculator
{
    public static readonly CoursePeriod[] Phases = [CoursePeriod.Phase1, CoursePeriod.Phase2, CoursePeriod.Phase3];

    public static FidelityReport Compute(
        IEnumerable<ReportCourse> courses,
        IReadOnlyList<StaffingPeriod> staffing,
        IReadOnlyList<SupervisionMonth> supervision,
        ReportFilter filter,
        ReportOptions options,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(courses);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(options);
        var all = courses.ToList();
        var selected = all.Where(filter.Matches).ToList();
        var full = selected.Where(c => c.IsFullCourse).ToList();
        var s = options.SuppressBelow;
        var phases = Phases.Select(p => Phase(full, p, options, now)).ToList();
        var months = MonthsOf(filter, now);
        var caseload = months.Select(m => CaseloadAt(all, staffing, filter, m, options, now)).ToList();
        var held = months.Select(m => supervision.FirstOrDefault(x => x.Month == m) ?? new SupervisionMonth(m, 0, 0)).ToList();

        var items = new List<FidelityItem>();
        foreach (var p in phases)
        {
            items.Add(new($"contactsPerWeek.{p.Phase}", Number(p.ExpectedContactsPerWeek), p.Courses > 0 ? ThresholdSource.CourseRhythm : ThresholdSource.Local, p.ContactsPerWeek,
                p.ContactsPerWeek.Value is { } v ? v >= p.ExpectedContactsPerWeek : null));
        }

        var r1 = phases[0].ContactsPerWeek.Value;
        foreach (var (phase, target) in new[] { (1, options.TaperPhase2), (2, options.TaperPhase3) })
        {
            var rn = phases[phase].ContactsPerWeek.Value;
            var n = Math.Min(phases[0].ContactsPerWeek.N, phases[phase].ContactsPerWeek.N);
            var ratio = r1 is { } a && rn is { } b && b > 0 ? a / b : (double?)null;
            var figure = phases[0].ContactsPerWeek.Suppressed || phases[phase].ContactsPerWeek.Suppressed ? new ReportFigure(null, n, true) : ReportFigure.Of(ratio, n, s);
            items.Add(new($"taper.{phases[phase].Phase}", Number(target), ThresholdSource.Local, figure, figure.Value is { } f ? f >= target : null));
        }

        foreach (var p in phases)
            items.Add(new($"coordinationShare.{p.Phase}", p.Phase == CoursePeriod.Phase1 ? "" : "↑", ThresholdSource.Guide, p.CoordinationShare,
                p.Phase == CoursePeriod.Phase1 || p.CoordinationShare.Value is null || phases[(int)p.Phase - 2].CoordinationShare.Value is not { } before
                    ? null : p.CoordinationShare.Value >= before));

        var workerMonths = caseload.Sum(m => m.Workers);
        var withinLimit = caseload.Sum(m => m.Workers - m.WorkersOverLimit);
        var caseloadFigure = new ReportFigure(workerMonths == 0 ? null : withinLimit / (double)workerMonths, workerMonths, false);
        items.Add(new("caseloadWithinLimit", "100 %", ThresholdSource.CtiPractice, caseloadFigure, caseloadFigure.Value is { } cv ? cv >= 1.0 : null));

        var shared = caseload.Count(m => m.WorkersWithCourses >= options.MinimumWorkers);
        var sharedFigure = new ReportFigure(caseload.Count == 0 ? null : shared / (double)caseload.Count, caseload.Count, false);
        items.Add(new("workersSharing", "100 %", ThresholdSource.Guide, sharedFigure, sharedFigure.Value is { } sv ? sv >= 1.0 : null));

        // Workers' team supervision (CTI practice: weekly) and the SKPs' supervision (guide: monthly) are two items.
        var workersSupervised = held.Count(m => m.Workers >= options.WorkerSupervisionPerMonth);
        var workersFigure = new ReportFigure(held.Count == 0 ? null : workersSupervised / (double)held.Count, held.Count, false);
        items.Add(new("supervisionWorkers", "100 %", ThresholdSource.CtiPractice, workersFigure, workersFigure.Value is { } wv ? wv >= 1.0 : null));
        var skpSupervised = held.Count(m => m.SupportPersons >= options.SupervisionPerMonth);
        var skpFigure = new ReportFigure(held.Count == 0 ? null : skpSupervised / (double)held.Count, held.Count, false);
        items.Add(new("supervisionSupportPersons", "100 %", ThresholdSource.Guide, skpFigure, skpFigure.Value is { } hv ? hv >= 1.0 : null));

        var handovers = full.Where(c => c.Course.Outcome == CourseOutcome.Completed && c.Course.Schedule[CoursePeriod.Phase3].HasStarted).ToList();
        var onTime = handovers.Count(c => c.HandoverAgreedAt is { } agreed && agreed <= CopenhagenCalendar.AddMonths(c.Course.Schedule.End, -options.HandoverLeadMonths));
        var handoverFigure = ReportFigure.Share(onTime, handovers.Count, s);
        items.Add(new("handoverOnTime", "100 %", ThresholdSource.Guide, handoverFigure, handoverFigure.Value is { } ov ? ov >= 1.0 : null));

        var selections = full.SelectMany(c => c.Course.FocusAreas.Values).Select(f => f.Areas.Count).ToList();
        var inRange = selections.Count(n => n >= options.FocusAreasMin && n <= options.FocusAreasMax);
        items.Add(new("focusAreasInRange", $"{options.FocusAreasMin}–{options.FocusAreasMax}", ThresholdSource.Guide,
            ReportFigure.Share(inRange, selections.Count, s), null));

        var ended = full.Where(c => c.Course.IsEnded).ToList();
        items.Add(new("phasesCompleted", "3", ThresholdSource.Guide,
            ReportFigure.Mean(ended.Select(c => (double)Phases.Count(p => c.Course.Schedule[p].HasEnded && !EndedEarlyIn(c.Course, p))).ToList(), s), null));
        items.Add(new("earlyClosures", "", ThresholdSource.Guide,
            ReportFigure.Share(ended.Count(c => c.Course.Outcome == CourseOutcome.DroppedOut), ended.Count, s), null));
        items.Add(new("pausesPerCourse", "", ThresholdSource.Guide,
            ReportFigure.Mean(full.Select(c => (double)c.Course.Pauses.Count).ToList(), s), null));
        var changes = ReportFigure.Mean(full.Select(c => (double)(c.Course.Assignments.Count - 1)).ToList(), s);
        items.Add(new("workerChangesPerCourse", "0", ThresholdSource.Guide, changes, changes.Value is { } wc ? wc == 0 : null));

        return new FidelityReport(items, phases, caseload, held, full.Count);
    }

    /// <summary>A phase that ended because the course was ended early in it does not count as completed.</summary>
    private static bool EndedEarlyIn(Course course, CoursePeriod phase) =>
        course.Outcome == CourseOutcome.DroppedOut && course.Ending?.InPeriod == phase
        || course.Status == CourseStatus.Cancelled && course.Ending is null && course.CurrentPeriod == phase;

    private static PhaseFidelity Phase(List<ReportCourse> courses, CoursePeriod phase, ReportOptions options, DateTimeOffset now)
    {
        var s = options.SuppressBelow;
        double weeks = 0, expected = 0;
        int withCitizen = 0, coordination = 0, reached = 0;
        var focus = new List<double>();
        foreach (var c in courses)
        {
            var period = c.Course.Schedule[phase];
            if (!period.HasStarted) continue;
            var from = period.ActualStart!.Value;
            var to = period.ActualEnd ?? (now < period.EffectiveEnd ? now : period.EffectiveEnd);
            if (c.Course.IsEnded && c.Course.Schedule.End < to) to = c.Course.Schedule.End;
            var active = ActiveTime(c.Course, from, to);
            if (active <= TimeSpan.Zero) continue;
            reached++;
            weeks += active.TotalDays / 7;
            expected += ExpectedContacts(c.Course, phase, from, to);
            foreach (var contact in c.Contacts)
            {
                if (contact.StartedAt < from || contact.StartedAt >= to) continue;
                if (contact.WithCitizen) withCitizen++;
                else if (contact.Kind == ContactKind.Coordination) coordination++;
            }

            if (c.Course.FocusAreas.TryGetValue(phase, out var areas)) focus.Add(areas.Areas.Count);
        }

        return new PhaseFidelity(
            phase,
            ReportFigure.Of(weeks > 0 ? withCitizen / weeks : null, reached, s),
            weeks > 0 ? expected / weeks : options.ExpectedContactsPerWeek(phase),
            ReportFigure.Of(withCitizen + coordination == 0 ? null : coordination / (double)(withCitizen + coordination), reached, s),
            ReportFigure.Mean(focus, s),
            reached);
    }

    /// <summary>Contacts with the citizen per week that a contact rhythm asks for.</summary>
    public static double PerWeek(ContactCadence cadence) => cadence switch
    {
        ContactCadence.Weekly => 1.0,
        ContactCadence.EveryTwoWeeks => 0.5,
        _ => 12.0 / 52.0,
    };

    /// <summary>
    /// The contacts the course's own rhythm asks for in [from, to) of a phase, pauses left out: the rhythm the phase had
    /// at each moment (a change of the rhythm applies from when it was recorded; before the first change the phase had
    /// the rhythm that change replaced).
    /// </summary>
    public static double ExpectedContacts(Course course, CoursePeriod phase, DateTimeOffset from, DateTimeOffset to)
    {
        var changes = course.RhythmChanges.Where(ch => ch.Period == phase).OrderBy(ch => ch.At).ToList();
        var cadence = changes.Count == 0 ? course.Settings.CadenceFor(phase) : changes[0].From;
        var start = from;
        double contacts = 0;
        foreach (var change in changes)
        {
            if (change.At > start && change.At < to)
            {
                contacts += PerWeek(cadence) * ActiveTime(course, start, change.At).TotalDays / 7;
                start = change.At;
            }

            if (change.At < to) cadence = change.To;
        }

        return contacts + PerWeek(cadence) * ActiveTime(course, start, to).TotalDays / 7;
    }

    /// <summary>Time in [from, to) while the course was not paused: pauses are not contact time.</summary>
    public static TimeSpan ActiveTime(Course course, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        var total = to - from;
        foreach (var pause in course.Pauses)
        {
            var ps = pause.From > from ? pause.From : from;
            var pe = (pause.To ?? to) < to ? pause.To ?? to : to;
            if (pe > ps) total -= pe - ps;
        }

        return total;
    }

    /// <summary>The months a report looks at: the filter's year or quarter, else the twelve months up to now (Copenhagen).</summary>
    public static IReadOnlyList<DateOnly> MonthsOf(ReportFilter filter, DateTimeOffset now)
    {
        var local = CopenhagenCalendar.ToLocal(now);
        var current = new DateOnly(local.Year, local.Month, 1);
        DateOnly first, last;
        if (filter.Year is { } y)
        {
            first = new DateOnly(y, filter.Quarter is { } q ? (q - 1) * 3 + 1 : 1, 1);
            last = filter.Quarter is not null ? first.AddMonths(2) : new DateOnly(y, 12, 1);
            if (last > current) last = current;
        }
        else
        {
            first = current.AddMonths(-11);
            last = current;
        }

        var months = new List<DateOnly>();
        for (var m = first; m <= last; m = m.AddMonths(1)) months.Add(m);
        return months;
    }

    private static CaseloadMonth CaseloadAt(
        List<ReportCourse> courses, IReadOnlyList<StaffingPeriod> staffing, ReportFilter filter, DateOnly month, ReportOptions options, DateTimeOffset now)
    {
        var monthEnd = CopenhagenCalendar.FromWallClock(month.AddMonths(1).ToDateTime(TimeOnly.MinValue)).AddTicks(-1);
        var at = monthEnd < now ? monthEnd : now;
        var staff = staffing.Where(p => p.From <= at).GroupBy(p => p.Worker, StringComparer.Ordinal)
            .Select(g => g.MaxBy(p => p.From)!)
            .Where(p => string.IsNullOrEmpty(filter.Team) || p.Team == filter.Team)
            .Where(p => string.IsNullOrEmpty(filter.Worker) || p.Worker == filter.Worker)
            .ToDictionary(p => p.Worker, StringComparer.Ordinal);
        var active = courses
            .Where(c => c.Course.StartDate <= at && (!c.Course.IsEnded || c.Course.Schedule.End > at))
            .Select(c => c.Course.Assignments.LastOrDefault(a => a.From <= at && (a.To is null || a.To > at))?.WorkerId.Value)
            .OfType<string>()
            .Where(w => staff.ContainsKey(w) || (string.IsNullOrEmpty(filter.Team) && (string.IsNullOrEmpty(filter.Worker) || w == filter.Worker)))
            .GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var workers = staff.Keys.Union(active.Keys, StringComparer.Ordinal).ToList();
        int Limit(string w) => staff.TryGetValue(w, out var p) ? (int)Math.Floor(options.CaseloadLimitPerFullTime * p.FullTimeEquivalent) : 0;
        return new CaseloadMonth(
            month,
            active.Values.Sum(),
            workers.Sum(Limit),
            workers.Count(w => Limit(w) > 0 || active.ContainsKey(w)),
            workers.Count(w => active.GetValueOrDefault(w) > Limit(w)),
            active.Count);
    }

    private static string Number(double v) => v.ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("da-DK"));
}
