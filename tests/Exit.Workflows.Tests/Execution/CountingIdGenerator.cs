using Exit.Workflows.Execution;

namespace Exit.Workflows.Tests.Execution;

/// <summary>Deterministic, thread-safe ids: 00000000-0000-0000-0000-000000000001, …</summary>
internal sealed class CountingIdGenerator : IIdGenerator
{
    private long _next;

    public Guid NewGuid()
    {
        var n = Interlocked.Increment(ref _next);
        return Guid.Parse($"00000000-0000-0000-0000-{n:x12}");
    }
}
