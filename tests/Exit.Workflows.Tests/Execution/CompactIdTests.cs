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

    [Fact]
    public void New_SameInstant_CountsOnInOrder_AndStaysAVersion7Guid()
    {
        // A stopped clock (or a burst within one millisecond): every id still sorts after the one made before it.
        var t = new DateTimeOffset(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 5000).Select(_ => CompactId.NextVersion7(t)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var texts = ids.Select(CompactId.Encode).ToList();
        Assert.Equal(texts.OrderBy(x => x, StringComparer.Ordinal), texts);
        Assert.All(ids, g => Assert.Equal(7, g.Version));
        Assert.All(ids, g => Assert.Equal(0b10, g.Variant >> 2));
        // The timestamp stays the clock's millisecond (74 random bits leave room for billions of ids in it).
        Assert.All(ids, g => Assert.Equal(t.ToUnixTimeMilliseconds(), TimestampOf(g)));
    }

    [Fact]
    public void New_ClockSetFarBack_StartsFromItsOwnTime()
    {
        // Tests move injected clocks freely; an id carries the clock's time, not the latest time this process saw.
        var later = new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var earlier = later.AddDays(-30);
        CompactId.NextVersion7(later);

        Assert.Equal(earlier.ToUnixTimeMilliseconds(), TimestampOf(CompactId.NextVersion7(earlier)));
    }

    private static long TimestampOf(Guid g)
    {
        var bytes = g.ToByteArray(bigEndian: true);
        long ms = 0;
        for (var i = 0; i < 6; i++) ms = (ms << 8) | bytes[i];
        return ms;
    }
}
