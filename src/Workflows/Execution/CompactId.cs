using System.Buffers.Binary;
using System.Security.Cryptography;

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

    private const int RandomBits = 74; // rand_a (12) + rand_b (62) of RFC 9562's layout
    private static readonly UInt128 RandomLimit = UInt128.One << RandomBits;

    /// <summary>How far back a clock may step and still count on from the last id rather than start afresh.</summary>
    private const long MaxBackStepMs = 10_000;

    private static readonly Lock Gate = new();
    private static long _lastMs = long.MinValue;
    private static UInt128 _lastRandom;

    public static string New(DateTimeOffset now) => Encode(NextVersion7(now));

    /// <summary>
    /// A v7 GUID for <paramref name="now"/> that sorts after every id this process made before in the same millisecond
    /// (RFC 9562 §6.2, method 2: the random part of the previous id plus a random step). Ids made in one millisecond —
    /// a burst of starts, or every id under a stopped test clock — would otherwise be in random order, and each insert
    /// into an id-keyed index (instances, bookmarks, tasks, the journal) would land on a different B-tree page: more
    /// pages written per transaction and half-empty pages after the splits. The step is random, so the next id cannot be
    /// guessed from the last one.
    /// </summary>
    internal static Guid NextVersion7(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        var fresh = BinaryPrimitives.ReadUInt128BigEndian(random) & (RandomLimit - 1);
        var step = (UInt128)(BinaryPrimitives.ReadUInt32BigEndian(random) | 1u);

        UInt128 rand;
        lock (Gate)
        {
            if (ms > _lastMs || ms < _lastMs - MaxBackStepMs)
            {
                _lastMs = ms;
                _lastRandom = fresh;
            }
            else
            {
                // Same millisecond, or a clock stepped back a little: count on from the last id.
                var next = _lastRandom + step;
                if (next >= RandomLimit)
                {
                    _lastMs++;
                    next = fresh >> 1; // room to count on in the next millisecond
                }
                _lastRandom = next;
            }
            ms = _lastMs;
            rand = _lastRandom;
        }

        // 48-bit milliseconds, version 7, rand_a (12 bits), variant 10, rand_b (62 bits).
        var value = ((UInt128)(ulong)ms << 80)
                    | ((UInt128)7 << 76)
                    | ((rand >> 62) << 64)
                    | ((UInt128)2 << 62)
                    | (rand & ((UInt128.One << 62) - 1));
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The GUID's 128 bits, most significant first, six bits a character (the last character holds two).</summary>
    public static string Encode(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return string.Create(22, value, static (chars, v) =>
        {
            // Six bits a character from the top; the 22nd holds the last two bits, padded with zeros.
            for (var i = 0; i < 21; i++) chars[i] = Alphabet[(int)((v >> (122 - 6 * i)) & 63)];
            chars[21] = Alphabet[(int)((v << 4) & 63)];
        });
    }
}
