using System.Globalization;
using Exit.Workflows.Persistence;

namespace Exit.Bench;

/// <summary>Command-line settings of the load driver. Every figure the program prints depends on these.</summary>
public sealed class BenchOptions
{
    public static readonly string[] AllPhases = ["starts", "completions", "size", "timers", "restart", "overdue", "http", "idle"];

    public int Instances { get; private set; } = 2_000;
    public int Concurrency { get; private set; } = 16;
    public int Timers { get; private set; } = 10_000;
    public int OpenTasks { get; private set; } = 100_000;
    public int IdleTasks { get; private set; } = 10_000;
    public int OverdueQueries { get; private set; } = 200;
    public string? DatabasePath { get; private set; }
    public DatabaseProvider Provider { get; private set; } = DatabaseProvider.Sqlite;
    public string? ConnectionString { get; private set; }
    public HashSet<string> Only { get; private set; } = new(AllPhases, StringComparer.OrdinalIgnoreCase);
    public bool KeepDatabase { get; private set; }

    public bool Runs(string phase) => Only.Contains(phase);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--instances": o.Instances = NextInt(); break;
                case "--concurrency": o.Concurrency = NextInt(); break;
                case "--timers": o.Timers = NextInt(); break;
                case "--open-tasks": o.OpenTasks = NextInt(); break;
                case "--idle-tasks": o.IdleTasks = NextInt(); break;
                case "--queries": o.OverdueQueries = NextInt(); break;
                case "--db": o.DatabasePath = Next(); break;
                case "--keep": o.KeepDatabase = true; break;
                case "--provider":
                    o.Provider = Next().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var p => throw new ArgumentException($"Unknown provider '{p}'; use sqlite or postgres."),
                    };
                    break;
                case "--connection": o.ConnectionString = Next(); break;
                case "--only":
                    o.Only = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    foreach (var p in o.Only)
                        if (!AllPhases.Contains(p, StringComparer.OrdinalIgnoreCase))
                            throw new ArgumentException($"Unknown phase '{p}'; phases: {string.Join(",", AllPhases)}.");
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (o.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new ArgumentException("--provider postgres needs --connection \"Host=...;Database=...\" (an empty database).");
        if (o.Concurrency < 1 || o.Instances < 1) throw new ArgumentException("--instances and --concurrency must be at least 1.");
        return o;
    }

    public const string Usage = """
        dotnet run -c Release --project bench/Exit.Bench -- [options]
          --instances N     instances for starts/completions (default 2000)
          --concurrency N   concurrent callers (default 16)
          --timers N        timers due at once, and overdue timers at restart (default 10000)
          --open-tasks N    open tasks for the overdue query (default 100000)
          --idle-tasks N    waiting task instances during the idle measurement (default 10000)
          --queries N       overdue queries measured (default 200)
          --db PATH         SQLite file (default: a fresh file under /tmp; deleted first)
          --keep            keep the SQLite file afterwards
          --provider sqlite|postgres  --connection "..."   (PostgreSQL: pass an empty database)
          --only starts,completions,size,timers,restart,overdue,http,idle
                            (http: the real Host in its own process, Kestrel + API key, --instances starts and completions)
        """;
}
