using Exit.Workflows.Definitions;

namespace Exit.Workflows.Tests.Execution;

/// <summary>Deterministic, thread-safe ids: 00000000000000000000000000000001, …</summary>
internal sealed class CountingIdGenerator : IIdGenerator
{
    private long _next;

    public string NewId() => Interlocked.Increment(ref _next).ToString("x32");
}
