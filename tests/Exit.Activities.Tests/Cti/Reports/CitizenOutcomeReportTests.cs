using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Xunit;
using static Exit.Activities.Tests.Cti.Reports.CohortBuilder;

namespace Exit.Activities.Tests.Cti.Reports;

public class CitizenOutcomeReportTests
{
    private static readonly ReportOptions Options = new();

    /// <summary>
    /// A cohort made to mirror Exit Prostitution's published figures (SFI 17:13, in the guide): 147 citizens; WHO-5 risk
    /// zone two thirds → one third; paid for sex one half → one fifth (140 answered both times); 91 % moderate or large
    /// progression (134 of 147). Ten citizens also have an earlier dropped-out course with opposite figures, and three a
    /// later course that ended at the clarification: neither may count, a citizen counts once by the latest full course.
    /// </summary>
    [Fact]
    public void Compute_PublishedCohort_ReproducesTheEvaluationsFigures()
    {
        var courses = new List<ReportCourse>();
        for (var i = 0; i < 147; i++)
        {
            var citizen = Guid.NewGuid();
            var start = T0.AddDays(i);
            if (i < 10)
            {
                var earlier = Course(citizen, start.AddYears(-2), CoursePeriod.Phase1, complete: false);
                earlier.End(EndingReason.LostContact, PhaseStart(earlier, CoursePeriod.Phase1).AddDays(20), PhaseStart(earlier, CoursePeriod.Phase1).AddDays(21), "w1");
                courses.Add(Report(earlier, Eval(earlier, EvaluationKind.Baseline, PhaseStart(earlier, CoursePeriod.Phase1), 80, false, 9)));
            }

            var c = Course(citizen, start, CoursePeriod.Phase3, complete: true);
            var riskStart = i < 98;                  // 98 / 147 = 2/3
            var riskEnd = i < 49;                    // 49 / 147 = 1/3
            bool? paidEnd = i >= 140 ? null : i < 28; // 28 / 140 = 1/5; 7 declined at the end
            var paidStart = i < 70;                  // 70 of the 140 measured both times = 1/2
            var paidPhase2 = i < 50;
            var paidPhase3 = i < 40;
            var progress = i switch { < 60 => 2, < 134 => 1, _ => 0 }; // 134 / 147 = 91 %
            courses.Add(Report(c,
                Eval(c, EvaluationKind.Baseline, PhaseStart(c, CoursePeriod.Phase1), riskStart ? 40 : 60, paidStart, 4),
                Eval(c, EvaluationKind.PhaseChange, PhaseStart(c, CoursePeriod.Phase2).AddDays(3), 48, paidPhase2, 4 + Math.Min(progress, 1)),
                Eval(c, EvaluationKind.PhaseChange, PhaseStart(c, CoursePeriod.Phase3).AddDays(3), 52, paidPhase3, 4 + progress),
                Eval(c, EvaluationKind.Final, c.Schedule.End, riskEnd ? 44 : 64, paidEnd, 4 + progress)));

            if (i is >= 20 and < 23)
            {
                var later = Exit.Activities.Cti.Domain.Course.Start(new CourseId(Guid.NewGuid()), new CitizenId(citizen), new WorkerId("w1"), CourseGoal.Exit, c.Schedule.End.AddDays(30));
                later.End(EndingReason.NotMotivatedNow, later.StartDate.AddDays(10), later.StartDate.AddDays(10), "w1");
                courses.Add(Report(later));
            }
        }

        var report = OutcomeCalculator.Compute(courses, new ReportFilter(), Options);

        Assert.Equal(147, report.Citizens.Value);
        Assert.Equal(147, report.Who5Risk.Measured);
        Assert.Equal(2 / 3.0, report.Who5Risk.AtStart.Value!.Value, 10);
        Assert.Equal(1 / 3.0, report.Who5Risk.AtEnd.Value!.Value, 10);
        Assert.Equal(140, report.PaidForSex.Measured);
        Assert.Equal(7, report.PaidForSex.NotMeasured);
        Assert.Equal(0.5, report.PaidForSex.AtStart.Value);
        Assert.Equal(0.2, report.PaidForSex.AtEnd.Value!.Value, 10);
        Assert.Equal(134 / 147.0, report.ModerateOrLarge.Value!.Value, 10);
        Assert.Equal("91 %", report.ModerateOrLarge.Percent);
        Assert.Equal("67 %", report.Who5Risk.AtStart.Percent);
        Assert.Equal("20 %", report.PaidForSex.AtEnd.Percent);
        Assert.Equal(147, report.Status.Completed.Value);
        Assert.Equal(0, report.Status.DroppedOut.Value);

        // "Falling the further they get": paid for sex at each point over those measured there.
        var paid = report.Points.Select(p => p.PaidForSexShare.Value!.Value).ToList();
        Assert.Equal([70 / 147.0, 50 / 147.0, 40 / 147.0, 28 / 140.0], paid, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(4 + 134 / 147.0, report.Points[1].LifeSituationMean.Value!.Value, 10);
        Assert.Equal(4 + (60 * 2 + 74) / 147.0, report.Points[2].LifeSituationMean.Value!.Value, 10);
        Assert.Equal(4 + (60 * 2 + 74) / 147.0, report.Points[3].AreaMeans[LifeArea.MentalHealth].Value!.Value, 10);
    }

    /// <summary>Completed, dropped out (with reasons) and ongoing per citizen; the "completed only" filter narrows every figure, the life areas included.</summary>
    [Fact]
    public void Compute_StatusAndCompletedOnly_CountCitizensAndFilterEveryFigure()
    {
        var courses = new List<ReportCourse>();
        for (var i = 0; i < 30; i++)
        {
            var kind = i % 3;
            var c = Course(Guid.NewGuid(), T0.AddDays(i), kind == 0 ? CoursePeriod.Phase3 : CoursePeriod.Phase2, complete: kind == 0);
            if (kind == 1) c.End(i % 2 == 0 ? EndingReason.LostContact : EndingReason.MovedAway, PhaseStart(c, CoursePeriod.Phase2).AddDays(5), PhaseStart(c, CoursePeriod.Phase2).AddDays(5), "w1");
            var step = kind == 0 ? 8 : 2;
            courses.Add(Report(c, Eval(c, EvaluationKind.Baseline, PhaseStart(c, CoursePeriod.Phase1), 40, true, step)));
        }

        var all = OutcomeCalculator.Compute(courses, new ReportFilter(), Options);
        var completed = OutcomeCalculator.Compute(courses, new ReportFilter(CompletedOnly: true), Options);

        Assert.Equal((30.0, 10.0, 10.0, 10.0), (all.Citizens.Value!.Value, all.Status.Completed.Value!.Value, all.Status.DroppedOut.Value!.Value, all.Status.Ongoing.Value!.Value));
        Assert.Equal(5.0, all.Status.DropOutReasons["LostContact"].Value);
        Assert.Equal(5.0, all.Status.DropOutReasons["MovedAway"].Value);
        Assert.Equal(10.0, completed.Citizens.Value);
        Assert.Equal((8 * 10 + 2 * 20) / 30.0, all.Points[0].AreaMeans[LifeArea.HousingAdministration].Value!.Value, 10);
        Assert.Equal(8.0, completed.Points[0].AreaMeans[LifeArea.HousingAdministration].Value);
    }

    /// <summary>A breakdown cell of 4 citizens is "&lt;5": its value is gone, not only hidden, so no export can carry it.</summary>
    [Fact]
    public void Compute_BreakdownCellOfFour_IsSuppressed()
    {
        var courses = new List<ReportCourse>();
        for (var i = 0; i < 12; i++)
        {
            var c = Course(Guid.NewGuid(), T0.AddDays(i), CoursePeriod.Phase1, complete: false);
            var descriptors = new TargetGroupDescriptors(Gender: i < 4 ? Gender.Trans : Gender.Woman);
            courses.Add(new ReportCourse(c, descriptors, "Team A", [Eval(c, EvaluationKind.Baseline, PhaseStart(c, CoursePeriod.Phase1), 40, true, 3)], [], null));
        }

        var report = OutcomeCalculator.Compute(courses, new ReportFilter(), Options);

        var trans = report.Breakdowns.Single(b => b.Dimension == "gender" && b.Value == "Trans");
        var women = report.Breakdowns.Single(b => b.Dimension == "gender" && b.Value == "Woman");
        Assert.True(trans.Citizens.Suppressed);
        Assert.Null(trans.Citizens.Value);
        Assert.Equal("<5", trans.Citizens.Whole);
        Assert.Null(trans.Citizens.Csv);
        // Every figure of the small group's row is hidden, zeros included (none of the four completed).
        Assert.All([trans.Completed, trans.DroppedOut, trans.Ongoing, trans.Who5RiskAtStart, trans.PaidAtStart], f => Assert.True(f.Suppressed && f.Csv is null));
        Assert.DoesNotContain("Trans", ReportCsv.Outcome(report), StringComparison.Ordinal);
        Assert.Contains("outcome,gender,Woman,citizens,,8,8", ReportCsv.Outcome(report), StringComparison.Ordinal);
        Assert.Equal("8", women.Citizens.Whole);
        Assert.Equal("8", women.Ongoing.Csv);
    }
}
