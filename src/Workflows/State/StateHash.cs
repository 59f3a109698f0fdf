using System.Security.Cryptography;
using System.Text;
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
        SHA256.HashData(Encoding.UTF8.GetBytes(state.ToJsonString()), hash);
        return Convert.ToBase64String(hash[..12]);
    }
}
