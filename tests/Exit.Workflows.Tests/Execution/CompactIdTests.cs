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
        Assert.Equal(new string('-', 22), CompactId.Encode(Guid.Empty));
        Assert.Equal(new string('z', 21) + "k", CompactId.Encode(Guid.AllBitsSet));
    }

    [Fact]
    public void New_LaterInstant_SortsAfter()
    {
        var t = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Assert.True(string.CompareOrdinal(CompactId.New(t), CompactId.New(t.AddMilliseconds(1))) < 0);
    }
}
