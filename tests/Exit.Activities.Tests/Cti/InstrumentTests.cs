using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class InstrumentTests
{
    [Theory]
    [InlineData(new[] { 5, 5, 5, 5, 5 }, 100, Who5Band.Normal, false)]
    [InlineData(new[] { 3, 3, 3, 2, 2 }, 52, Who5Band.Normal, false)]
    [InlineData(new[] { 3, 3, 3, 2, 1 }, 48, Who5Band.RiskOfStressOrDepression, true)]
    [InlineData(new[] { 2, 2, 2, 2, 2 }, 40, Who5Band.RiskOfStressOrDepression, true)]
    [InlineData(new[] { 2, 2, 2, 2, 1 }, 36, Who5Band.RiskOfStressOrDepression, true)]
    [InlineData(new[] { 1, 1, 2, 2, 2 }, 32, Who5Band.HighRisk, true)]
    [InlineData(new[] { 0, 0, 0, 0, 0 }, 0, Who5Band.HighRisk, true)]
    public void Who5_Items_ScoreAndBand(int[] items, int score, Who5Band band, bool riskZone)
    {
        var who5 = Who5.FromItems(items);

        Assert.Equal(score, who5.Score);
        Assert.Equal(band, who5.Band);
        Assert.Equal(riskZone, who5.IsInRiskZone);
    }

    [Fact]
    public void Who5_ScoresAroundFifty_SplitAtRiskZoneBoundary()
    {
        // 50 is not reachable from whole items (score is a multiple of 4); 48 and 52 bracket it.
        Assert.True(Who5.FromItems(2, 2, 3, 3, 2).IsInRiskZone);
        Assert.False(Who5.FromItems(2, 3, 3, 3, 2).IsInRiskZone);
    }

    [Theory]
    [InlineData(new[] { 6, 5, 5, 5, 5 })]
    [InlineData(new[] { -1, 5, 5, 5, 5 })]
    public void Who5_ItemOutOfRange_IsRejected(int[] items)
    {
        var error = Assert.Throws<CtiRuleViolation>(() => Who5.FromItems(items));

        Assert.Equal(CtiRules.Who5ItemRange, error.Rule);
    }

    [Theory]
    [InlineData(new[] { 5, 5, 5, 5 })]
    [InlineData(new[] { 5, 5, 5, 5, 5, 5 })]
    public void Who5_WrongItemCount_IsRejected(int[] items)
    {
        var error = Assert.Throws<CtiRuleViolation>(() => Who5.FromItems(items));

        Assert.Equal(CtiRules.Who5ItemCount, error.Rule);
    }

    [Theory]
    [InlineData(SexSaleFrequency.None, false)]
    [InlineData(SexSaleFrequency.Once, true)]
    [InlineData(SexSaleFrequency.Daily, true)]
    public void PaidForSex_Frequency_DecidesPaid(SexSaleFrequency frequency, bool paid)
    {
        Assert.Equal(paid, new PaidForSexLastMonth(frequency).Paid);
    }

    [Fact]
    public void PaidForSex_UnknownFrequency_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => new PaidForSexLastMonth((SexSaleFrequency)42));

        Assert.Equal(CtiRules.PaidForSexFrequency, error.Rule);
    }

    [Fact]
    public void LifeSituation_AllTenRated_HasMean()
    {
        var rating = LifeSituationRating.FromSteps(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        Assert.Equal(55, rating.Total);
        Assert.Equal(5.5, rating.Mean);
        Assert.Equal(10, rating[LifeArea.LifeSkillsAndSelfCare]);
    }

    [Fact]
    public void LifeSituation_AreaMissing_IsRejected()
    {
        var ratings = Enum.GetValues<LifeArea>().Skip(1).ToDictionary(a => a, _ => 5);

        var error = Assert.Throws<CtiRuleViolation>(() => LifeSituationRating.Create(ratings));

        Assert.Equal(CtiRules.LifeSituationIncomplete, error.Rule);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void LifeSituation_StepOutOfRange_IsRejected(int step)
    {
        var error = Assert.Throws<CtiRuleViolation>(() => LifeSituationRating.FromSteps(step, 5, 5, 5, 5, 5, 5, 5, 5, 5));

        Assert.Equal(CtiRules.LifeSituationRange, error.Rule);
    }

    [Theory]
    [InlineData(9, Progression.NoneOrNegative)]
    [InlineData(10, Progression.Moderate)]
    [InlineData(19, Progression.Moderate)]
    [InlineData(20, Progression.Large)]
    [InlineData(-5, Progression.NoneOrNegative)]
    public void Classify_TotalChange_GivesProgression(int totalChange, Progression expected)
    {
        var baseline = LifeSituationRating.FromSteps(5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        var steps = Enumerable.Repeat(5, 10).ToArray();
        for (var i = 0; i < Math.Abs(totalChange); i++)
        {
            steps[i % 10] += Math.Sign(totalChange);
        }

        Assert.Equal(expected, LifeSituationProgression.Classify(baseline, LifeSituationRating.FromSteps(steps)));
    }

    [Fact]
    public void Evaluation_NoInstrument_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => new Evaluation(new CourseId(Guid.Empty), EvaluationKind.Baseline, Dk.Winter(2026, 1, 15), null, null, null));

        Assert.Equal(CtiRules.EvaluationEmpty, error.Rule);
    }
}
