using Xunit;
using Exit.Workflows.Execution;

namespace Exit.Workflows.Tests.Execution;

public class CompactIdTests
{
    [Fact]
    public void Encode_SortsLikeTheGuidsBytes()
    {
        var random = new Random(7);
        var guids = Enumerable.Range(0, 2000).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes, bigEndian: true);
        }).ToList();

        var byBytes = guids.OrderBy(g => Convert.ToHexString(g.ToByteArray(bigEndian: true)), StringComparer.Ordinal).Select(CompactId.Encode);
        var byText = guids.Select(CompactId.Encode).OrderBy(s => s, StringComparer.Ordinal);

        Assert.Equal(byBytes, byText);
    }

    [Fact]
    public void Encode_Extremes_Are22CharactersOfTheAlphabetsEnds()
    {
        Assert.Equal(new string('0', 22), CompactId.Encode(Guid.Empty));
        Assert.Equal(new string('~', 21) + "l", CompactId.Encode(Guid.AllBitsSet));
    }

    [Fact]
    public void New_ThisCentury_StartsWithADigit()
    {
        // A leading '-' or '=' would be escaped in CSV exports and read as an option on command lines.
        Assert.True(char.IsAsciiDigit(CompactId.New(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero))[0]));
        Assert.True(char.IsAsciiDigit(CompactId.New(new DateTimeOffset(2099, 12, 31, 0, 0, 0, TimeSpan.Zero))[0]));
    }

    [Fact]
    public void New_LaterInstant_SortsAfter()
    {
        var t = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Assert.True(string.CompareOrdinal(CompactId.New(t), CompactId.New(t.AddMilliseconds(1))) < 0);
    }
}
