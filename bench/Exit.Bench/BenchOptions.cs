using System.Globalization;
using Exit.Workflows.Persistence;

namespace Exit.Bench;

/// <summary>Command-line settings of the load driver. Every figure the program prints depends on these.</summary>
public sealed class BenchOptions
{
    /// <summary>Several Host processes on one PostgreSQL server (<see cref="Bench.ClusterPhase"/>); only when asked for.</summary>
    public const string ClusterPhase = "cluster";

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

    /// <summary>SQLite: <see cref="Exit.Workflows.Persistence.DatabaseOptions.SqliteCheckpointEvery"/> (0: SQLite's own auto-checkpoint).</summary>
    public int CheckpointEvery { get; private set; }

    /// <summary>
    /// Cluster phase: per phase, the statements PostgreSQL ran for the database, per operation (<c>--statements</c>;
    /// needs <c>shared_preload_libraries=pg_stat_statements</c> on the server, and resets its statistics server-wide).
    /// </summary>
    public bool Statements { get; private set; }

    /// <summary>
    /// http and cluster phases: the requests carry a stored key owned by a staff user (<see cref="StoredBenchKey"/>),
    /// read from the database on every request, instead of the configured key answered from configuration.
    /// </summary>
    public bool StoredKey { get; private set; }

    /// <summary>How the measured requests authenticate, for the reports.</summary>
    public string KeyKind => StoredKey ? "stored key" : "configured key";

    /// <summary>Host counts of the cluster phase (<c>--hosts 1,2,3</c>).</summary>
    public IReadOnlyList<int> Hosts { get; private set; } = [1, 2, 3];

    /// <summary>
    /// Cluster phase: the measured starts and completions go to the first N hosts only (<c>--driven-hosts N</c>); the
    /// others stay cluster members (timers, Quartz check-ins) without requests. Null: all hosts are driven.
    /// </summary>
    public int? DrivenHosts { get; private set; }

    /// <summary>Extra environment of the Host processes of the cluster and http phases (<c>--host-env NAME=VALUE</c>, repeatable), for A/B runs.</summary>
    public Dictionary<string, string> HostEnvironment { get; } = new(StringComparer.Ordinal);

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
                case "--checkpoint-every": o.CheckpointEvery = NextInt(); break;
                case "--statements": o.Statements = true; break;
                case "--stored-key": o.StoredKey = true; break;
                case "--provider":
                    o.Provider = Next().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var p => throw new ArgumentException($"Unknown provider '{p}'; use sqlite or postgres."),
                    };
                    break;
                case "--connection": o.ConnectionString = Next(); break;
                case "--hosts":
                    o.Hosts = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => int.Parse(h, NumberStyles.None, CultureInfo.InvariantCulture))];
                    if (o.Hosts.Count == 0 || o.Hosts.Any(h => h < 1)) throw new ArgumentException("--hosts needs host counts of at least 1, e.g. 1,2,3.");
                    break;
                case "--driven-hosts":
                    o.DrivenHosts = NextInt();
                    if (o.DrivenHosts < 1) throw new ArgumentException("--driven-hosts needs at least 1.");
                    break;
                case "--host-env":
                    var pair = Next().Split('=', 2);
                    if (pair.Length != 2 || pair[0].Length == 0) throw new ArgumentException("--host-env needs NAME=VALUE.");
                    o.HostEnvironment[pair[0]] = pair[1];
                    break;
                case "--only":
                    o.Only = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    foreach (var p in o.Only)
                        if (!AllPhases.Contains(p, StringComparer.OrdinalIgnoreCase) && !string.Equals(p, ClusterPhase, StringComparison.OrdinalIgnoreCase))
                            throw new ArgumentException($"Unknown phase '{p}'; phases: {string.Join(",", AllPhases)},{ClusterPhase}.");
                    if (o.Only.Contains(ClusterPhase) && o.Only.Count > 1) throw new ArgumentException("--only cluster runs alone.");
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (o.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new ArgumentException("--provider postgres needs --connection \"Host=...;Database=...\" (an empty database).");
        if (o.Only.Contains(ClusterPhase) && o.Provider != DatabaseProvider.Postgres)
            throw new ArgumentException("--only cluster needs --provider postgres --connection \"Host=...;Username=...\" (a server; each host count gets a database of its own).");
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
          --checkpoint-every N  SQLite: checkpoint the WAL on a background connection every N commits (default 0:
                            SQLite's own auto-checkpoint in the committing writer)
          --provider sqlite|postgres  --connection "..."   (PostgreSQL: pass an empty database)
          --only starts,completions,size,timers,restart,overdue,http,idle
                            (http: the real Host in its own process, Kestrel + API key, --instances starts and completions)
          --stored-key      http and cluster: authenticate with a stored key owned by a staff user (created through the
                            admin API), read from the database on every request, instead of the configured key
          --only cluster --provider postgres --connection "Host=...;Username=..." [--hosts 1,2,3] [--host-env NAME=VALUE]
                            several real Hosts on one PostgreSQL server, a fresh database per host count: starts,
                            completions and a --timers storm, with hosts' and PostgreSQL's CPU-ms/op and commits/op;
                            --driven-hosts N sends the measured starts and completions to the first N hosts only
                            (--concurrency callers per host); --statements also lists each phase's statements per
                            operation (server with shared_preload_libraries=pg_stat_statements; resets its statistics)
        """;
}
