using System.Security.Cryptography;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exit.Workflows.State;

/// <summary>
/// A short fingerprint of an activity's evaluated inputs, kept in the stored document instead of the inputs themselves while
/// the activity waits (<see cref="ActivityInstance.JournaledStateHash"/>). Compares the state a resume rebuilds with the one
/// the journal already holds: 96 bits of SHA-256, so two different states are never taken for equal in practice; a state
/// that is equal but serialises differently only costs the compaction (the row is stored whole).
/// </summary>
internal static class StateHash
{
    public static string Of(JsonObject state)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // The bytes of state.ToJsonString() in UTF-8 (default writer options), without the string in between.
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json)) state.WriteTo(writer);
        SHA256.HashData(json.WrittenSpan, hash);
        return Convert.ToBase64String(hash[..12]);
    }
}
