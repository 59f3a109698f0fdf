using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CitizenTests
{
    private static readonly ICprProtector Protector = new AesGcmCprProtector(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Create_WithoutCpr_IsAnonymous()
    {
        var citizen = Citizen.Create(new CitizenId(Guid.Empty), "  Maja ", null, Protector);

        Assert.True(citizen.IsAnonymous);
        Assert.Equal("Maja", citizen.Alias);
        Assert.Null(citizen.RevealCpr(Protector));
    }

    [Fact]
    public void Create_WithCpr_StoresOnlyProtectedFormAndRevealsIt()
    {
        var citizen = Citizen.Create(new CitizenId(Guid.Empty), "Maja", CprNumber.Parse("010190-1234"), Protector);

        Assert.False(citizen.IsAnonymous);
        Assert.DoesNotContain("0101901234", citizen.ProtectedCpr);
        Assert.Equal("0101901234", citizen.RevealCpr(Protector)!.Digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_BlankAlias_IsRejected(string alias)
    {
        var error = Assert.Throws<CtiRuleViolation>(() => Citizen.Create(new CitizenId(Guid.Empty), alias, null, Protector));

        Assert.Equal(CtiRules.AliasRequired, error.Rule);
    }

    [Fact]
    public void Create_AliasLongerThanMax_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => Citizen.Create(new CitizenId(Guid.Empty), new string('a', Citizen.MaxAliasLength + 1), null, Protector));

        Assert.Equal(CtiRules.AliasTooLong, error.Rule);
    }

    [Fact]
    public void ToString_WithAliasAndCpr_ShowsNeither()
    {
        var citizen = Citizen.Create(new CitizenId(Guid.Empty), "Maja", CprNumber.Parse("010190-1234"), Protector);

        var text = citizen.ToString();

        Assert.DoesNotContain("Maja", text);
        Assert.DoesNotContain("0101", text);
        Assert.DoesNotContain("1234", text);
    }

    [Fact]
    public void SetCpr_Null_MakesCitizenAnonymous()
    {
        var citizen = Citizen.Create(new CitizenId(Guid.Empty), "Maja", CprNumber.Parse("010190-1234"), Protector);

        citizen.SetCpr(null, Protector);

        Assert.True(citizen.IsAnonymous);
    }
}
