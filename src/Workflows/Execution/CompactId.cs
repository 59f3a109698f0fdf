namespace Exit.Workflows.Execution;

/// <summary>
/// A version 7 GUID written in 22 characters instead of 32 hex digits. Ids are stored many times per instance (its row,
/// every bookmark, journal record and task, and their indexes), so ten characters less each is a large part of what an
/// instance stores. The alphabet is in ASCII order, so ids still sort by creation time under ordinal comparison, and
/// URL-safe (RFC 3986 unreserved characters), so they can appear in paths unescaped.
/// </summary>
public static class CompactId
{
    // Not '-' first: the top six bits of a v7 GUID are zero until the 2200s, so every id would start with it, and a
    // leading '-' is read as an option on command lines and as a formula by spreadsheets (CSV exports escape it).
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";

    public static string New(DateTimeOffset now) => Encode(Guid.CreateVersion7(now));

    /// <summary>The GUID's 128 bits, most significant first, six bits a character (the last character holds two).</summary>
    public static string Encode(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return string.Create(22, value, static (chars, v) =>
        {
            // Six bits a character from the top; the 22nd holds the last two bits, padded with zeros.
            for (var i = 0; i < 21; i++) chars[i] = Alphabet[(int)((v >> (122 - 6 * i)) & 63)];
            chars[21] = Alphabet[(int)((v << 4) & 63)];
        });
    }
}
