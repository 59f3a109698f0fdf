using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class OutcomeReportTests
{
    /// <summary>Raw answers of one synthetic course; null means not asked or not answered.</summary>
    private sealed record Answers(int[]? Who5, SexSaleFrequency? Paid, int[]? Life);

    private sealed record SyntheticCourse(CourseId Id, Answers? Start, Answers? End);

    [Fact]
    public void Compute_SeededCohortOf30_MatchesIndependentCount()
    {
        var cohort = GenerateCohort(new Random(20130601), 30);

        var report = OutcomeReport.Compute(cohort.Select(ToMeasurements));

        // Expectations counted here from the raw answers, without the domain's scoring code.
        int who5Measured = 0, who5RiskStart = 0, who5RiskEnd = 0;
        int paidMeasured = 0, paidStart = 0, paidEnd = 0;
        int lifeMeasured = 0, moderate = 0, large = 0;
        foreach (var course in cohort)
        {
            if (course.Start?.Who5 is { } w0 && course.End?.Who5 is { } w1)
            {
                who5Measured++;
                if (w0.Sum() * 4 <= 50) who5RiskStart++;
                if (w1.Sum() * 4 <= 50) who5RiskEnd++;
            }

            if (course.Start?.Paid is { } p0 && course.End?.Paid is { } p1)
            {
                paidMeasured++;
                if (p0 != SexSaleFrequency.None) paidStart++;
                if (p1 != SexSaleFrequency.None) paidEnd++;
            }

            if (course.Start?.Life is { } l0 && course.End?.Life is { } l1)
            {
                lifeMeasured++;
                var meanChange = (l1.Sum() - l0.Sum()) / 10.0;
                if (meanChange >= 2.0) large++;
                else if (meanChange >= 1.0) moderate++;
            }
        }

        Assert.Equal(30, report.Courses);
        Assert.Equal(new PairedShare(who5Measured, 30 - who5Measured, who5RiskStart, who5RiskEnd), report.Who5RiskZone);
        Assert.Equal(new PairedShare(paidMeasured, 30 - paidMeasured, paidStart, paidEnd), report.PaidForSex);
        Assert.Equal(new ProgressionSummary(lifeMeasured, 30 - lifeMeasured, large, moderate, lifeMeasured - large - moderate), report.LifeSituation);
        Assert.Equal(who5RiskStart / (double)who5Measured, report.Who5RiskZone.ShareAtStart);
        Assert.Equal(paidEnd / (double)paidMeasured, report.PaidForSex.ShareAtEnd);
        Assert.Equal((moderate + large) / (double)lifeMeasured, report.LifeSituation.ShareModerateOrLarge);

        // The seed must exercise every branch, or the comparison above proves little.
        Assert.InRange(who5Measured, 1, 29);
        Assert.True(who5RiskStart > who5RiskEnd);
        Assert.True(paidStart > paidEnd);
        Assert.True(large > 0 && moderate > 0 && lifeMeasured - large - moderate > 0);
    }

    [Fact]
    public void Compute_HandBuiltCohort_GivesKnownShares()
    {
        var id = 0;
        SyntheticCourse Course(Answers? start, Answers? end) => new(new CourseId(new Guid(++id, 0, 0, new byte[8])), start, end);
        int[] Life(int step) => Enumerable.Repeat(step, 10).ToArray();
        var cohort = new[]
        {
            Course(new([1, 1, 1, 1, 1], SexSaleFrequency.Weekly, Life(3)), new([4, 4, 4, 4, 4], SexSaleFrequency.None, Life(6))),
            Course(new([2, 2, 2, 2, 2], SexSaleFrequency.Once, Life(4)), new([2, 2, 2, 2, 2], SexSaleFrequency.Once, Life(5))),
            Course(new([4, 4, 4, 4, 4], SexSaleFrequency.None, Life(5)), new([4, 4, 4, 4, 4], SexSaleFrequency.None, Life(4))),
            Course(new([1, 1, 1, 1, 1], SexSaleFrequency.Daily, Life(2)), null),
        };

        var report = OutcomeReport.Compute(cohort.Select(ToMeasurements));

        Assert.Equal(new PairedShare(3, 1, 2, 1), report.Who5RiskZone);
        Assert.Equal(2 / 3.0, report.Who5RiskZone.ShareAtStart);
        Assert.Equal(1 / 3.0, report.Who5RiskZone.ShareAtEnd);
        Assert.Equal(new PairedShare(3, 1, 2, 1), report.PaidForSex);
        Assert.Equal(new ProgressionSummary(3, 1, Large: 1, Moderate: 1, NoneOrNegative: 1), report.LifeSituation);
    }

    [Fact]
    public void Compute_NoMeasurements_SharesAreUnknownNotZero()
    {
        var report = OutcomeReport.Compute([new CourseMeasurements(new CourseId(Guid.Empty), null, null)]);

        Assert.Null(report.Who5RiskZone.ShareAtStart);
        Assert.Null(report.LifeSituation.ShareModerateOrLarge);
        Assert.Equal(1, report.PaidForSex.NotMeasured);
    }

    [Fact]
    public void CourseMeasurements_From_PicksFirstBaselineAndLastFinal()
    {
        var id = new CourseId(Guid.Empty);
        var who5 = Who5.FromItems(3, 3, 3, 3, 3);
        var evaluations = new[]
        {
            new Evaluation(id, EvaluationKind.Final, Dk.Winter(2027, 1, 10), who5, null, null),
            new Evaluation(id, EvaluationKind.Baseline, Dk.Winter(2026, 1, 20), who5, null, null),
            new Evaluation(id, EvaluationKind.Baseline, Dk.Winter(2026, 1, 15), who5, null, null),
            new Evaluation(id, EvaluationKind.PhaseChange, Dk.Summer(2026, 5, 15), who5, null, null),
            new Evaluation(id, EvaluationKind.Final, Dk.Winter(2027, 1, 15), who5, null, null),
            new Evaluation(new CourseId(Guid.AllBitsSet), EvaluationKind.Final, Dk.Winter(2027, 2, 1), who5, null, null),
        };

        var measurements = CourseMeasurements.From(id, evaluations);

        Assert.Equal(Dk.Winter(2026, 1, 15), measurements.Baseline!.Date);
        Assert.Equal(Dk.Winter(2027, 1, 15), measurements.Final!.Date);
    }

    private static List<SyntheticCourse> GenerateCohort(Random random, int count)
    {
        var cohort = new List<SyntheticCourse>();
        for (var i = 0; i < count; i++)
        {
            // Start skewed towards low wellbeing, paying for sex and low ratings; end skewed the other way.
            var start = random.Next(10) == 0 ? null : Draw(random, lowBias: true);
            var end = random.Next(6) == 0 ? null : Draw(random, lowBias: false);
            cohort.Add(new SyntheticCourse(new CourseId(new Guid(i + 1, 0, 0, new byte[8])), start, end));
        }

        return cohort;
    }

    private static Answers Draw(Random random, bool lowBias)
    {
        int Item() => lowBias ? random.Next(0, 4) : random.Next(1, 6);
        int Step() => lowBias ? random.Next(1, 7) : random.Next(2, 9);
        var who5 = random.Next(8) == 0 ? null : new[] { Item(), Item(), Item(), Item(), Item() };
        SexSaleFrequency? paid = random.Next(8) == 0 ? null
            : random.Next(lowBias ? 2 : 5) == 0 ? (SexSaleFrequency)random.Next(1, 5) : SexSaleFrequency.None;
        if (lowBias && paid == SexSaleFrequency.None && random.Next(2) == 0)
        {
            paid = SexSaleFrequency.Weekly;
        }

        var life = random.Next(8) == 0 ? null : Enumerable.Range(0, 10).Select(_ => Step()).ToArray();
        return who5 is null && paid is null && life is null ? new Answers([3, 3, 3, 3, 3], null, null) : new Answers(who5, paid, life);
    }

    private static CourseMeasurements ToMeasurements(SyntheticCourse course) =>
        new(course.Id, ToEvaluation(course.Id, EvaluationKind.Baseline, Dk.Winter(2026, 1, 15), course.Start), ToEvaluation(course.Id, EvaluationKind.Final, Dk.Winter(2027, 1, 15), course.End));

    private static Evaluation? ToEvaluation(CourseId id, EvaluationKind kind, DateTimeOffset date, Answers? answers) =>
        answers is null
            ? null
            : new Evaluation(
                id,
                kind,
                date,
                answers.Who5 is null ? null : Who5.FromItems(answers.Who5),
                answers.Paid is null ? null : new PaidForSexLastMonth(answers.Paid.Value),
                answers.Life is null ? null : LifeSituationRating.FromSteps(answers.Life));
}
