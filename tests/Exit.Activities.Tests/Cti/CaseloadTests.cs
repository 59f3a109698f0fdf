using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CaseloadTests
{
    [Theory]
    [InlineData(1.0, 20)]
    [InlineData(0.5, 10)]
    [InlineData(0.37, 7)]
    public void LimitFor_FullTimeEquivalent_IsProRata(double fte, int limit)
    {
        Assert.Equal(limit, Caseload.LimitFor((decimal)fte));
    }

    [Fact]
    public void EnsureRoomForOneMore_FullTimeWorkerWith20_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => Caseload.EnsureRoomForOneMore(new WorkerId("anna"), 20, 1m));

        Assert.Equal(CtiRules.CaseloadFull, error.Rule);
    }

    [Fact]
    public void EnsureRoomForOneMore_FullTimeWorkerWith19_IsAllowed()
    {
        Caseload.EnsureRoomForOneMore(new WorkerId("anna"), 19, 1m);
    }
}
