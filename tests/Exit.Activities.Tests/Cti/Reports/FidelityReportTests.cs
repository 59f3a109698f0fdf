using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Xunit;

namespace Exit.Activities.Tests.Cti.Reports;

/// <summary>
/// Every fidelity item on a hand-built cohort of six courses. The expected values are counted here from the raw
/// registrations this test makes (dates, contacts, pauses, reassignments, agreements), not taken from the calculator.
/// </summary>
public class FidelityReportTests
{
    private static readonly DateTimeOffset T0 = Dk.Winter(2024, 1, 8);
    private static readonly DateTimeOffset Now = Dk.Winter(2025, 3, 15);
    // Suppression off for the hand-built six: every figure is checked; the last test checks suppression at the default.
    private static readonly ReportOptions Options = new() { CaseloadLimitPerFullTime = 3, SuppressBelow = 1 };

    private sealed record Reg(int Course, ContactKind Kind, DateTimeOffset At);

    private sealed record Built(List<ReportCourse> Courses, List<Reg> Contacts, Dictionary<int, (DateTimeOffset From, DateTimeOffset To)[]> Phases, Dictionary<int, TimeSpan[]> PausedPerPhase);

    private static Built Build(bool rhythms = false)
    {
        var courses = new List<ReportCourse>();
        var regs = new List<Reg>();
        var phases = new Dictionary<int, (DateTimeOffset, DateTimeOffset)[]>();
        var paused = new Dictionary<int, TimeSpan[]>();
        DateTimeOffset[] agreed = [default, default, default, default];
        for (var i = 0; i < 6; i++)
        {
            var start = i == 5 ? Dk.Summer(2024, 9, 2) : T0.AddDays(i);
            var c = Course.Start(new CourseId(Guid.NewGuid()), new CitizenId(Guid.NewGuid()), new WorkerId(i < 4 ? "w1" : "w2"), CourseGoal.Exit, start);
            var p1 = start.AddDays(14);
            var p2 = p1.AddDays(120);
            var p3 = p2.AddDays(120);
            var end = p3.AddDays(110);
            var pause = TimeSpan.Zero;
            c.SetFocusAreas(CoursePeriod.Phase1, new[] { FocusArea.Economy, FocusArea.Housing, FocusArea.Network, FocusArea.MentalHealth }[..(2 + i % 3)]);
            c.SetFocusAreas(CoursePeriod.Phase2, [FocusArea.Economy, FocusArea.Housing, FocusArea.Network]);
            c.SetFocusAreas(CoursePeriod.Phase3, [FocusArea.Network]);
            // The worker sets a citizen's own rhythm: course 0 fortnightly in phase 1 (before it starts).
            if (rhythms && i == 0) c.ChangeRhythm(CoursePeriod.Phase1, ContactCadence.EveryTwoWeeks, start.AddDays(1), "w1");
            c.StartPhase(CoursePeriod.Phase1, p1);
            if (i == 2) c.ReassignWorker(new WorkerId("w2"), p1.AddDays(30));
            c.StartPhase(CoursePeriod.Phase2, p2);
            if (i == 1)
            {
                c.Pause(PauseReason.Hospitalisation, p2.AddDays(10));
                c.Resume(p2.AddDays(24));
                pause = TimeSpan.FromDays(14);
            }

            // Course 1 weekly from day 40 of phase 2 (after its pause); course 3 weekly from day 50 of phase 3.
            if (rhythms && i == 1) c.ChangeRhythm(CoursePeriod.Phase2, ContactCadence.Weekly, p2.AddDays(40), "w1");

            var p2End = i switch { 4 => p2.AddDays(30), 5 => Now, _ => p3 };
            if (i == 4) c.End(EndingReason.LostContact, p2End, p2End, "w2");
            else if (i < 4) c.StartPhase(CoursePeriod.Phase3, p3);
            if (rhythms && i == 3) c.ChangeRhythm(CoursePeriod.Phase3, ContactCadence.Weekly, p3.AddDays(50), "w1");
            if (i < 4) c.Complete(end);
            phases[i] = i < 4 ? [(p1, p2), (p2, p3), (p3, end)] : [(p1, p2), (p2, p2End)];
            paused[i] = [TimeSpan.Zero, pause, TimeSpan.Zero];

            // Contacts: citizen contacts taper (7 per 4 weeks in phase 1, 3 in phase 2, 1 in phase 3) while coordination grows.
            var contacts = new List<Reg> { new(i, ContactKind.InPerson, start.AddDays(2)), new(i, ContactKind.Attempted, p1.AddDays(3)) };
            for (var d = 0; d < 119; d += 4) contacts.Add(new(i, d % 8 == 0 ? ContactKind.InPerson : ContactKind.Phone, p1.AddDays(d).AddHours(1)));
            for (var d = 0; d < 119; d += 20) contacts.Add(new(i, ContactKind.Coordination, p1.AddDays(d).AddHours(2)));
            for (var d = 0; d < 119; d += 9) contacts.Add(new(i, ContactKind.InPerson, p2.AddDays(d).AddHours(1)));
            for (var d = 0; d < 119; d += 12) contacts.Add(new(i, ContactKind.Coordination, p2.AddDays(d).AddHours(2)));
            if (i < 4)
            {
                for (var d = 0; d < 109; d += 25) contacts.Add(new(i, ContactKind.Video, p3.AddDays(d).AddHours(1)));
                for (var d = 0; d < 109; d += 8) contacts.Add(new(i, ContactKind.Coordination, p3.AddDays(d).AddHours(2)));
                agreed[i] = i switch { 0 => end.AddMonths(-2), 1 => end.AddDays(-10), 3 => CopenhagenCalendar.AddMonths(end, -1), _ => default };
            }

            regs.AddRange(contacts.Where(r => r.At <= Now));
            courses.Add(new ReportCourse(c, TargetGroupDescriptors.None, "Team A", [],
                contacts.Where(r => r.At <= Now).Select(r => new ReportContact(r.Kind, r.At)).ToList(),
                i < 4 && agreed[i] != default ? agreed[i] : null));
        }

        return new Built(courses, regs, phases, paused);
    }

    private static readonly StaffingPeriod[] Staffing =
    [
        new("w1", "Team A", 1m, T0.AddYears(-1)),
        new("w2", "Team A", 0.5m, T0.AddYears(-1)),
        new("w2", "Team A", 1m, Dk.Summer(2024, 10, 1, 0)),
    ];

    private static FidelityReport Compute(Built b, ReportFilter? filter = null)
    {
        var months = FidelityCalculator.MonthsOf(filter ?? new ReportFilter(Year: 2024), Now);
        // Workers' team supervision: none in July and December, three in August (below weekly), five in March, else four.
        // Support persons' supervision: none in July and December, two in March, else one.
        var held = months.Select(m => new SupervisionMonth(
            m, Workers: m.Month is 7 or 12 ? 0 : m.Month == 8 ? 3 : m.Month == 3 ? 5 : 4, SupportPersons: m.Month is 7 or 12 ? 0 : m.Month == 3 ? 2 : 1)).ToList();
        return FidelityCalculator.Compute(b.Courses, Staffing, held, filter ?? new ReportFilter(Year: 2024), Options, Now);
    }

    private static double Item(FidelityReport r, string key) => r.Items.Single(i => i.Key == key).Figure.Value!.Value;

    [Fact]
    public void ContactsPerWeek_Taper_AndCoordinationShare_AreCountedFromTheLog()
    {
        var b = Build();
        var report = Compute(b);

        var rate = new double[3];
        var coordShare = new double[3];
        for (var p = 0; p < 3; p++)
        {
            double weeks = 0;
            int citizen = 0, coordination = 0;
            foreach (var (course, windows) in b.Phases)
            {
                if (windows.Length <= p) continue;
                var (from, to) = windows[p];
                weeks += (to - from - b.PausedPerPhase[course][p]).TotalDays / 7;
                citizen += b.Contacts.Count(r => r.Course == course && r.At >= from && r.At < to && r.Kind is not (ContactKind.Coordination or ContactKind.Attempted));
                coordination += b.Contacts.Count(r => r.Course == course && r.At >= from && r.At < to && r.Kind == ContactKind.Coordination);
            }

            rate[p] = citizen / weeks;
            coordShare[p] = coordination / (double)(citizen + coordination);
        }

        Assert.Equal(rate[0], Item(report, "contactsPerWeek.Phase1"), 9);
        Assert.Equal(rate[1], Item(report, "contactsPerWeek.Phase2"), 9);
        Assert.Equal(rate[2], Item(report, "contactsPerWeek.Phase3"), 9);
        Assert.Equal(rate[0] / rate[1], Item(report, "taper.Phase2"), 9);
        Assert.Equal(rate[0] / rate[2], Item(report, "taper.Phase3"), 9);
        Assert.Equal(coordShare[0], Item(report, "coordinationShare.Phase1"), 9);
        Assert.Equal(coordShare[2], Item(report, "coordinationShare.Phase3"), 9);
        Assert.True(report.Items.Single(i => i.Key == "coordinationShare.Phase3").Met);
        Assert.Equal(6, report.Phases[0].Courses);
        Assert.Equal(4, report.Phases[2].Courses);
        // Phase 3 reached by 4 courses: at the default threshold of 5 its figures are "<5".
        var months = FidelityCalculator.MonthsOf(new ReportFilter(), Now);
        var defaults = FidelityCalculator.Compute(b.Courses, Staffing, [], new ReportFilter(), new ReportOptions(), Now);
        Assert.Equal("<5", defaults.Items.Single(i => i.Key == "contactsPerWeek.Phase3").Figure.Decimal2);
        Assert.Equal(4, defaults.Items.Single(i => i.Key == "contactsPerWeek.Phase3").Figure.N);
        Assert.NotNull(defaults.Items.Single(i => i.Key == "contactsPerWeek.Phase1").Figure.Value);
    }

    [Fact]
    public void Caseload_WorkersSharing_Supervision_AreCountedPerMonth()
    {
        var b = Build();
        var report = Compute(b);

        // Expected per month: at the month's last instant, each worker's active courses against floor(3 × FTE).
        int workerMonths = 0, within = 0, sharedMonths = 0;
        foreach (var row in report.Caseload)
        {
            var monthEnd = CopenhagenCalendar.FromWallClock(row.Month.AddMonths(1).ToDateTime(TimeOnly.MinValue)).AddTicks(-1);
            var perWorker = new Dictionary<string, int> { ["w1"] = 0, ["w2"] = 0 };
            for (var i = 0; i < 6; i++)
            {
                var c = b.Courses[i].Course;
                var last = b.Phases[i][^1].To;
                if (c.StartDate > monthEnd || last <= monthEnd && c.IsEnded) continue;
                var reassignedAt = b.Phases[2][0].From.AddDays(30);
                var worker = i < 4 && !(i == 2 && reassignedAt <= monthEnd) ? "w1" : "w2";
                perWorker[worker]++;
            }

            var w2Limit = monthEnd >= Dk.Summer(2024, 10, 1, 0) ? 3 : 1; // floor(3 × 0.5), then floor(3 × 1)
            workerMonths += 2;
            within += (perWorker["w1"] <= 3 ? 1 : 0) + (perWorker["w2"] <= w2Limit ? 1 : 0);
            if (perWorker.Values.Count(v => v > 0) >= 2) sharedMonths++;
            Assert.Equal(perWorker.Values.Sum(), row.ActiveCourses);
        }

        Assert.Equal(12, report.Caseload.Count);
        Assert.Equal(within / (double)workerMonths, Item(report, "caseloadWithinLimit"), 9);
        Assert.True(within < workerMonths, "the cohort must put w2 over the limit at 50 %");
        Assert.Equal(sharedMonths / 12.0, Item(report, "workersSharing"), 9);
        // Two items: months with at least four team supervisions of the workers; months with at least one of the SKPs.
        Assert.Equal(9 / 12.0, Item(report, "supervisionWorkers"), 9);
        Assert.Equal(10 / 12.0, Item(report, "supervisionSupportPersons"), 9);
        var workers = report.Items.Single(i => i.Key == "supervisionWorkers");
        var skp = report.Items.Single(i => i.Key == "supervisionSupportPersons");
        Assert.Equal((ThresholdSource.CtiPractice, false, 12), (workers.Source, workers.Met, workers.Figure.N));
        Assert.Equal((ThresholdSource.Guide, false, 12), (skp.Source, skp.Met, skp.Figure.N));
        Assert.DoesNotContain(report.Items, i => i.Key == "supervisionMonthly");
    }

    [Fact]
    public void ContactTargets_FollowEachCoursesOwnRhythm_WeightedByItsWeeksInThePhase()
    {
        var b = Build(rhythms: true);
        var report = Compute(b);

        // Per course and phase: the rhythm's contacts per week over its active weeks, from the registrations made in Build.
        double Rate(int course, int phase, DateTimeOffset at) => (course, phase) switch
        {
            (0, 0) => 0.5,
            (1, 1) when at >= b.Phases[1][1].From.AddDays(40) => 1.0,
            (3, 2) when at >= b.Phases[3][2].From.AddDays(50) => 1.0,
            (_, 0) => 1.0,
            (_, 1) => 0.5,
            _ => 12.0 / 52.0,
        };

        for (var p = 0; p < 3; p++)
        {
            double weeks = 0, expected = 0;
            foreach (var (course, windows) in b.Phases)
            {
                if (windows.Length <= p) continue;
                var (from, to) = windows[p];
                weeks += (to - from - b.PausedPerPhase[course][p]).TotalDays / 7;
                // Hour by hour: the rhythm in force, outside the pause (course 1, days 10–24 of phase 2).
                for (var t = from; t < to; t = t.AddHours(1))
                {
                    var paused = course == 1 && p == 1 && t >= from.AddDays(10) && t < from.AddDays(24);
                    if (!paused) expected += Rate(course, p, t) / (7 * 24);
                }
            }

            var phase = report.Phases[p];
            Assert.Equal(expected / weeks, phase.ExpectedContactsPerWeek, 3);
            var item = report.Items.Single(i => i.Key == $"contactsPerWeek.{phase.Phase}");
            Assert.Equal(ThresholdSource.CourseRhythm, item.Source);
            Assert.Equal((expected / weeks).ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("da-DK")), item.Target);
            Assert.Equal(item.Figure.Value >= expected / weeks, item.Met);
        }

        // The changes move the targets away from the defaults (1, 0.5, 12/52) the report used before.
        Assert.True(report.Phases[0].ExpectedContactsPerWeek < 1.0);
        Assert.True(report.Phases[1].ExpectedContactsPerWeek > 0.5);
        Assert.True(report.Phases[2].ExpectedContactsPerWeek > 12.0 / 52.0);
        // Without changes every course keeps the defaults.
        var plain = Compute(Build());
        Assert.Equal(1.0, plain.Phases[0].ExpectedContactsPerWeek, 9);
        Assert.Equal(0.5, plain.Phases[1].ExpectedContactsPerWeek, 9);
        Assert.Equal(12.0 / 52.0, plain.Phases[2].ExpectedContactsPerWeek, 9);
    }

    [Fact]
    public void Handover_FocusAreas_Phases_Closures_Pauses_WorkerChanges()
    {
        var b = Build();
        var report = Compute(b, new ReportFilter());

        // Handover: courses 0 (two months before) and 3 (exactly one month before) on time; 1 (ten days) late; 2 none.
        Assert.Equal(2 / 4.0, Item(report, "handoverOnTime"), 9);
        Assert.Equal(4, report.Items.Single(i => i.Key == "handoverOnTime").Figure.N);

        // Focus areas per phase: phase 1 has 2 + i % 3 areas (2, 3, 4, 2, 3, 4), phase 2 three, phase 3 one (chosen at the start for all three phases).
        var counts = Enumerable.Range(0, 6).SelectMany(i => new[] { 2 + i % 3, 3, 1 }).ToList();
        var inRange = counts.Count(n => n is >= 3 and <= 5);
        Assert.Equal(inRange / (double)counts.Count, Item(report, "focusAreasInRange"), 9);

        // Ended courses: four completed (3 phases each), one ended early in phase 2 (1 phase completed).
        Assert.Equal((4 * 3 + 1) / 5.0, Item(report, "phasesCompleted"), 9);
        Assert.Equal(1 / 5.0, Item(report, "earlyClosures"), 9);
        Assert.Equal(1 / 6.0, Item(report, "pausesPerCourse"), 9);
        Assert.Equal(1 / 6.0, Item(report, "workerChangesPerCourse"), 9);
        Assert.False(report.Items.Single(i => i.Key == "workerChangesPerCourse").Met);
    }
}
