namespace Exit.Workflows.Expressions;

/// <summary>
/// The sandbox every JavaScript expression runs in (Jint's constraints). A published expression runs unattended,
/// perhaps every minute from a Cron trigger, so each limit ends a runaway script with a named incident instead of
/// holding a core or the host's memory. Configured under <c>Exit:JavaScript</c>; see <c>Expressions/README.md</c>.
/// </summary>
public sealed class JavaScriptOptions
{
    /// <summary>Wall-clock time one evaluation may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Statements one evaluation may execute (an endless loop ends here first).</summary>
    public int MaxStatements { get; set; } = 100_000;

    /// <summary>Depth of nested function calls.</summary>
    public int MaxRecursion { get; set; } = 256;

    /// <summary>
    /// Bytes one evaluation may allocate (Jint counts the thread's allocations while the script runs, so this is
    /// allocation, not live memory).
    /// </summary>
    public long MaxMemoryBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Time one regular-expression match may take (catastrophic backtracking ends here).</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Elements one array may be created with.</summary>
    public uint MaxArraySize { get; set; } = 100_000;
}
