using System.Security.Cryptography;

namespace Exit.Workflows.Definitions;

/// <summary>Makes ids for definitions and definition versions; injected so tests can make them predictable.</summary>
public interface IIdGenerator
{
    string NewId();
}

/// <summary>16 random lower-case hex characters, like the ids Elsa Studio gives definitions and activities.</summary>
public sealed class RandomIdGenerator : IIdGenerator
{
    public static RandomIdGenerator Instance { get; } = new();

    public string NewId() => RandomNumberGenerator.GetHexString(16, lowercase: true);
}
