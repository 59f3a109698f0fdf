using Exit.Workflows.Definitions;

namespace Exit.Workflows.Tests.Definitions;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Ids "id-1", "id-2", … in order.</summary>
internal sealed class SequentialIds : IIdGenerator
{
    private int _next;

    public string NewId() => $"id-{Interlocked.Increment(ref _next)}";
}
