using System.Security.Cryptography;
using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CprProtectionTests
{
    private static byte[] Key(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(i + seed)).ToArray();

    [Theory]
    [InlineData("010190-1234", "0101901234")]
    [InlineData("0101901234", "0101901234")]
    [InlineData(" 290200-4321 ", "2902004321")]
    public void Parse_ValidFormats_NormalisesToTenDigits(string text, string digits)
    {
        Assert.Equal(digits, CprNumber.Parse(text).Digits);
    }

    [Theory]
    [InlineData("310490-1234")] // 31 April
    [InlineData("011390-1234")] // month 13
    [InlineData("000190-1234")] // day 0
    [InlineData("01019-012345")]
    [InlineData("010190_1234")]
    [InlineData("01019012345")]
    [InlineData("01019O1234")]
    [InlineData("")]
    public void Parse_InvalidText_IsRejectedWithFormatRule(string text)
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CprNumber.Parse(text));

        Assert.Equal(CtiRules.CprFormat, error.Rule);
    }

    [Fact]
    public void ToString_Always_IsMasked()
    {
        Assert.DoesNotContain("1234", CprNumber.Parse("010190-1234").ToString());
    }

    [Fact]
    public void Protect_ThenUnprotect_RoundTrips()
    {
        var protector = new AesGcmCprProtector(Key(1));
        var cpr = CprNumber.Parse("241285-9876");

        var stored = protector.Protect(cpr);

        Assert.Equal(cpr, protector.Unprotect(stored));
    }

    [Fact]
    public void Protect_Ciphertext_DiffersFromPlaintextAndBetweenCalls()
    {
        var protector = new AesGcmCprProtector(Key(1));
        var cpr = CprNumber.Parse("241285-9876");

        var first = protector.Protect(cpr);
        var second = protector.Protect(cpr);

        Assert.DoesNotContain("2412859876", first);
        Assert.DoesNotContain("241285", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Unprotect_WithOtherKey_Fails()
    {
        var stored = new AesGcmCprProtector(Key(1)).Protect(CprNumber.Parse("241285-9876"));

        Assert.ThrowsAny<CryptographicException>(() => new AesGcmCprProtector(Key(2)).Unprotect(stored));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_Fails()
    {
        var protector = new AesGcmCprProtector(Key(1));
        var bytes = Convert.FromBase64String(protector.Protect(CprNumber.Parse("241285-9876")));
        bytes[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Constructor_KeyNot32Bytes_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new AesGcmCprProtector(new byte[16]));
    }
}
