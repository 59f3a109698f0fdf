using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Npgsql;
using static Exit.Bench.Stats;

namespace Exit.Bench;

/// <summary>
/// Several hosts on one PostgreSQL database (<c>--only cluster --hosts 1,2,3</c>): for each host count a fresh database,
/// that many real Host processes (<c>Exit.Host.dll</c>, clustered, API key, Kestrel), and three measured phases driven
/// round robin over the hosts: starts, task completions, and a storm of timers falling due at one instant. Per phase:
/// the rate, the hosts' CPU summed (<c>/proc/PID/stat</c>), PostgreSQL's CPU (the backends serving this database plus
/// the server's WAL writer, checkpointer and background writer, also from <c>/proc</c>) and the transactions committed
/// in this database (<c>pg_stat_database.xact_commit</c>), each per operation.
/// </summary>
internal sealed class ClusterPhase(BenchOptions options, string work, string definitions)
{
    private const string KickDefinition = "bench-kick";

    /// <summary>PostgreSQL 15+ flushes an idle backend's statistics within 10 s (PGSTAT_IDLE_INTERVAL); read after that.</summary>
    private static readonly TimeSpan StatsSettle = TimeSpan.FromSeconds(11);

    private readonly List<string> _table = [];
    private readonly string _adminKey = StoredBenchKey.NewAdminKey();

    public async Task RunAsync()
    {
        var hostDll = HttpPhase.FindHost() ?? throw new FileNotFoundException("Exit.Host.dll not found (build src/Host -c Release).");
        Console.WriteLine($"cluster: {Environment.ProcessorCount} cores, load average {LoadAverage()}; hosts {string.Join(",", options.Hosts)}, " +
                          $"{options.Instances} starts and completions, {options.Timers} timers, {options.Concurrency} callers per host, {options.KeyKind}" +
                          (options.HostEnvironment.Count > 0 ? $", host environment {string.Join(" ", options.HostEnvironment.Select(e => $"{e.Key}={e.Value}"))}" : ""));
        Console.WriteLine("PostgreSQL runs on the same cores as the hosts and the bench.");
        foreach (var hosts in options.Hosts) await RunAsync(hostDll, hosts);

        Console.WriteLine();
        Console.WriteLine($"## Exit cluster bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {options.KeyKind}");
        Console.WriteLine();
        Console.WriteLine("| hosts | phase | rate | load avg (1 min) | hosts CPU-ms/op | PostgreSQL CPU-ms/op | ≈ rate if the 2 cores were ours | commits/op | bench CPU-ms/op | hosts' context switches/op |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in _table) Console.WriteLine(row);
    }

    private async Task RunAsync(string hostDll, int count)
    {
        var name = $"exit_bench_cluster_{count}h_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var server = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = "postgres", Pooling = false };
        var database = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = name }.ToString();
        await ExecuteAsync(server.ToString(), $"CREATE DATABASE \"{name}\"");
        if (options.Statements) await ExecuteAsync(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        var key = ApiKeyDefaults.KeyPrefix + "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hosts = new List<(Process Process, HttpClient Client)>();
        try
        {
            Console.WriteLine();
            // The first host migrates and imports; the others then start together (they wait on its start-up lock if not).
            hosts.Add(await StartHostAsync(hostDll, database, key, 0));
            hosts.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => StartHostAsync(hostDll, database, key, i))));
            var clients = hosts.Select(h => h.Client).ToArray();
            if (options.StoredKey)
            {
                var stored = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, await StoredBenchKey.CreateAsync(clients[0], _adminKey));
                foreach (var client in clients) client.DefaultRequestHeaders.Authorization = stored;
            }
            await using var meter = new Meter(database, hosts.Select(h => h.Process.Id).ToArray(), options.Statements);

            // Warm-up (not measured): every host runs each path once at least.
            await StartAndCompleteAsync(clients, database, Math.Min(200, options.Instances));
            await FillAsync(count, clients, database);

            // --driven-hosts: the others stay in the cluster without requests, which tells what membership costs apart
            // from what sharing the cores with more busy processes costs (docs/performance.md, "Issue 11: where a
            // second and third host's CPU goes").
            var driven = clients[..Math.Min(options.DrivenHosts ?? count, count)];
            var mark = await meter.MarkAsync();
            Console.WriteLine(FormattableString.Invariant($"cluster {count}h: hosts idle {meter.IdleHostCpuMsPerSecond:F1} CPU-ms/s (all hosts, {StatsSettle.TotalSeconds:F0} s without requests)"));
            var elapsed = await DriveAsync(driven, options.Instances, (c, _) => StartAsync(c, BenchRun.TaskDefinition));
            await Report(count, "starts", options.Instances, elapsed, meter, mark, driven.Length);

            var ids = await OpenTaskIdsAsync(database);
            mark = await meter.MarkAsync();
            elapsed = await DriveAsync(driven, ids.Count, (c, i) => CompleteAsync(c, ids[i]));
            await Report(count, "task completions", ids.Count, elapsed, meter, mark, driven.Length);

            await StormAsync(count, clients, database, meter);
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => StopAsync(h.Process)));
            foreach (var (process, client) in hosts)
            {
                client.Dispose();
                process.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ToString(), $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    /// <summary>
    /// Measures on a database in service rather than a new one: it already holds <see cref="BenchOptions.Instances"/>
    /// courses (started and their tasks completed, so no task is left open; their timers join the storm), and its
    /// statistics are current, as autovacuum keeps them. On a new database the hosts' prepared statements get generic
    /// plans while the tables hold a few hundred rows (hash joins over sequential scans, cheapest then), and keep them
    /// while the phases grow the tables a hundredfold in seconds, until autovacuum's next analyze a minute later
    /// invalidates them — a state no municipality runs in (docs/performance.md, "Issue 11: a database in service, not a
    /// new one").
    /// </summary>
    private async Task FillAsync(int count, HttpClient[] clients, string database)
    {
        var watch = Stopwatch.StartNew();
        await StartAndCompleteAsync(clients, database, options.Instances);
        await ExecuteAsync(database, "ANALYZE");
        Console.WriteLine(FormattableString.Invariant($"cluster {count}h: {options.Instances} courses filled in and ANALYZE run in {watch.Elapsed.TotalSeconds:F1} s (not measured)"));
    }

    /// <summary><paramref name="courses"/> starts through the hosts, then every open task completed (not measured).</summary>
    private async Task StartAndCompleteAsync(HttpClient[] clients, string database, int courses)
    {
        await DriveAsync(clients, courses, (c, _) => StartAsync(c, BenchRun.TaskDefinition));
        var tasks = await OpenTaskIdsAsync(database);
        await DriveAsync(clients, tasks.Count, (c, i) => CompleteAsync(c, tasks[i]));
    }

    /// <summary>
    /// <see cref="BenchOptions.Timers"/> instances wait on a one-day Delay; then every timer bookmark of the database
    /// (also those the completed tasks' courses wait on) is moved to one instant a few seconds ahead, and one more
    /// instance waiting on that instant (StartAt) arms the cluster's wake-up for it, as a real storm would be armed.
    /// Measured from that instant until no timer bookmark is left.
    /// </summary>
    private async Task StormAsync(int count, HttpClient[] clients, string database, Meter meter)
    {
        var filled = await DriveAsync(clients, options.Timers, (c, _) => StartAsync(c, BenchRun.DelayDefinition));
        Console.WriteLine(FormattableString.Invariant($"cluster {count}h: {options.Timers} timer instances started in {filled.TotalSeconds:F1} s (not measured)"));
        // The commits are counted from before the move (its own few statements are the bench's); CPU from the instant.
        var mark = await meter.MarkAsync();
        var dueAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        var storm = await meter.ScalarAsync($"WITH moved AS (UPDATE wf_bookmarks SET due_at = {dueAt.UtcTicks} WHERE due_at IS NOT NULL RETURNING 1) SELECT COUNT(*) FROM moved") + 1;
        await ImportAsync(clients[0], KickDefinition, dueAt);
        await StartAsync(clients[0], KickDefinition);
        if (dueAt - DateTimeOffset.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait);
        mark = await meter.MarkCpuAsync(mark);
        var watch = Stopwatch.StartNew();
        long left;
        while ((left = await meter.ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL")) > 0)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{left} of {storm} timers still due after 10 minutes");
            await Task.Delay(50);
        }
        await Report(count, $"timer storm ({storm:N0} due at once)", (int)storm, watch.Elapsed, meter, mark);
    }

    private async Task Report(int hosts, string phase, int operations, TimeSpan elapsed, Meter meter, Meter.Mark mark, int? driven = null)
    {
        var drivenNote = driven < hosts ? FormattableString.Invariant($" ({driven} driven)") : "";
        var load = LoadAverage();
        var (hostCpu, postgresCpu, clientCpu, commits, switches) = await meter.SinceAsync(mark);
        var rate = operations / elapsed.TotalSeconds;
        var cpuPerOp = (hostCpu + postgresCpu) / operations;
        var ifOurs = Environment.ProcessorCount * 1000 / cpuPerOp;
        Console.WriteLine(FormattableString.Invariant(
            $"cluster {hosts}h{drivenNote} {phase}: {operations} in {elapsed.TotalSeconds:F2} s = {rate:F0}/s; hosts {hostCpu / operations:F2} CPU-ms/op, PostgreSQL {postgresCpu / operations:F2} CPU-ms/op (≈ {ifOurs:F0}/s if the cores were ours), bench {clientCpu / operations:F2} CPU-ms/op; {commits / (double)operations:F3} commits/op; hosts' context switches {switches / (double)operations:F1}/op  [load {load}]"));
        _table.Add(FormattableString.Invariant(
            $"| {hosts}{drivenNote} | {phase} | {rate:N0}/s | {load.Split(' ')[0]} | {hostCpu / operations:F2} | {postgresCpu / operations:F2} | {ifOurs:N0}/s | {commits / (double)operations:F3} | {clientCpu / operations:F2} | {switches / (double)operations:F1} |"));
        if (options.Statements)
        {
            Console.WriteLine("    PostgreSQL CPU-ms/op by process: " + string.Join(", ", meter.PostgresCpuByKind.OrderByDescending(k => k.Value)
                .Select(k => FormattableString.Invariant($"{k.Key} {k.Value / operations:F3}"))));
            await meter.PrintStatementsAsync(operations);
        }
    }

    /// <summary><paramref name="count"/> requests, round robin over the hosts, <see cref="BenchOptions.Concurrency"/> callers per host.</summary>
    private async Task<TimeSpan> DriveAsync(HttpClient[] clients, int count, Func<HttpClient, int, Task> call)
    {
        var next = -1;
        Exception? failure = null;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency * clients.Length).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && failure is null)
            {
                try
                {
                    await call(clients[i % clients.Length], i);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        })));
        watch.Stop();
        if (failure is not null) throw new InvalidOperationException("cluster phase: a request failed", failure);
        return watch.Elapsed;
    }

    private static async Task StartAsync(HttpClient client, string definitionId)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/elsa/api/workflow-definitions/{definitionId}/execute", content);
        await EnsureAsync(response);
    }

    private static async Task CompleteAsync(HttpClient client, string taskId)
    {
        using var content = new StringContent("""{"outcome":"Approved"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/tasks/{taskId}/complete", content);
        await EnsureAsync(response);
    }

    private static async Task ImportAsync(HttpClient client, string definitionId, DateTimeOffset dueAt)
    {
        var json = $$"""
            {
              "definitionId": "{{definitionId}}", "name": "{{definitionId}}", "version": 1,
              "root": { "id": "fc", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start1", "type": "Elsa.Start", "version": 1 },
                  { "id": "at1", "type": "Elsa.StartAt", "version": 1, "dateTime": { "typeName": "DateTimeOffset", "expression": { "type": "Literal", "value": "{{dueAt:O}}" } } },
                  { "id": "end1", "type": "Elsa.End", "version": 1 }
                ],
                "connections": [
                  { "source": { "activity": "start1", "port": "Done" }, "target": { "activity": "at1", "port": "In" } },
                  { "source": { "activity": "at1", "port": "Done" }, "target": { "activity": "end1", "port": "In" } }
                ]
              }
            }
            """;
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/elsa/api/workflow-definitions/import", content);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(Process, HttpClient)> StartHostAsync(string hostDll, string database, string key, int index)
    {
        var port = HttpPhase.FreePort();
        var errors = Path.Combine(work, $"cluster-host{index}.err");
        var info = new ProcessStartInfo("/bin/sh")
        {
            // exec: the shell becomes the host, so the pid measured is the host's; its console log goes nowhere.
            ArgumentList = { "-c", $"exec dotnet \"{hostDll}\" --urls http://127.0.0.1:{port} >/dev/null 2>\"{errors}\"" },
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            UseShellExecute = false,
        };
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Staging";
        env["DOTNET_TieredCompilation"] = "0"; // steady state from the first call, as in the http phase
        env["Exit__Database__Provider"] = "Postgres";
        env["Exit__Database__ConnectionString"] = database;
        env["Exit__Scheduling__Clustered"] = "true";
        env["Exit__DefinitionsFolder"] = definitions;
        env["Exit__Cti__CprKey"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(database))); // the same on every host
        env["Exit__Auth__ApiKeys__0__Name"] = "bench";
        env["Exit__Auth__ApiKeys__0__Sha256"] = ApiKeyDefaults.Hash(key);
        env["Exit__Auth__ApiKeys__0__Roles"] = string.Join(",", ExitRoles.All);
        env["Exit__Auth__ApiKeys__0__CitizenData"] = "true";
        StoredBenchKey.ConfigureAdminKey(env, _adminKey);
        foreach (var (name, value) in options.HostEnvironment) env[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the Host");
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, key);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"host {index} exited with {process.ExitCode}: {await File.ReadAllTextAsync(errors)}");
            if (watch.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"host {index} was not ready within 3 minutes");
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Console.WriteLine($"cluster: host {index} (pid {process.Id}) ready after {watch.Elapsed.TotalSeconds:F1} s");
        return (process, client);
    }

    private static async Task StopAsync(Process host)
    {
        if (host.HasExited) return;
        _ = HttpPhase.Kill(host.Id, 15); // SIGTERM: an orderly stop
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await host.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            host.Kill(entireProcessTree: true);
        }
    }

    private static async Task<List<string>> OpenTaskIdsAsync(string database)
    {
        await using var c = new NpgsqlConnection(database);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT \"Id\" FROM \"HumanTasks\" WHERE \"Status\" = 'Open' ORDER BY \"Id\"", c);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The hosts' CPU, PostgreSQL's CPU for this database, and its committed transactions. The bench's own statements on
    /// its one connection are counted and taken off the commits.
    /// </summary>
    private sealed class Meter(string database, int[] hosts, bool statements) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;
        private long _ownStatements;

        public sealed record Mark(double HostCpuMs, Dictionary<int, double> PostgresCpuMs, double ClientCpuMs, long Commits, long OwnStatements, IReadOnlyDictionary<string, long>? HostSwitches = null);

        public async Task<long> ScalarAsync(string sql)
        {
            if (_connection is null)
            {
                _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ToString());
                await _connection.OpenAsync();
            }
            await using var cmd = new NpgsqlCommand(sql, _connection);
            _ownStatements++;
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        /// <summary>The hosts' CPU per second while no request was sent (the last <see cref="MarkAsync"/>'s wait): their fixed cost.</summary>
        public double IdleHostCpuMsPerSecond { get; private set; }

        public async Task<Mark> MarkAsync()
        {
            var idleFrom = HostCpu();
            await Task.Delay(StatsSettle); // the previous phase's commits are all in the statistics
            IdleHostCpuMsPerSecond = (HostCpu() - idleFrom) / StatsSettle.TotalSeconds;
            var commits = await CommitsAsync();
            if (statements) await ScalarAsync("SELECT 0 FROM (SELECT pg_stat_statements_reset()) r");
            return new Mark(HostCpu(), await PostgresCpuAsync(), ClientCpu(), commits, _ownStatements, HostSwitches());
        }

        /// <summary>
        /// The statements this database ran since the last mark (<c>pg_stat_statements</c>), per operation: calls, rows and
        /// execution time (the server's planning and protocol work are not in it). The bench's own statements are left out.
        /// </summary>
        public async Task PrintStatementsAsync(int operations)
        {
            const string sql = """
                SELECT calls, rows, total_exec_time, regexp_replace(query, '\s+', ' ', 'g')
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND query NOT LIKE '%pg_stat%' AND query NOT LIKE '%wf_bookmarks WHERE due_at IS NOT NULL%'
                ORDER BY calls DESC, total_exec_time DESC
                """;
            await using var cmd = new NpgsqlCommand(sql, _connection);
            _ownStatements++;
            await using var reader = await cmd.ExecuteReaderAsync();
            Console.WriteLine("    calls/op  rows/op  exec ms/op  mean ms  statement");
            while (await reader.ReadAsync())
            {
                var calls = reader.GetInt64(0);
                if (calls < operations / 100) continue; // start-up, warm-up stragglers and rare background work
                var text = reader.GetString(3);
                Console.WriteLine(FormattableString.Invariant(
                    $"    {calls / (double)operations,8:F3} {reader.GetInt64(1) / (double)operations,8:F2} {reader.GetDouble(2) / operations,10:F4} {reader.GetDouble(2) / calls,8:F4}  {(text.Length > 220 ? text[..220] + "…" : text)}"));
            }
        }

        /// <summary><paramref name="mark"/> with the CPU read again now (the commits stay counted from the mark).</summary>
        public async Task<Mark> MarkCpuAsync(Mark mark) => mark with { HostCpuMs = HostCpu(), PostgresCpuMs = await PostgresCpuAsync(), ClientCpuMs = ClientCpu(), HostSwitches = HostSwitches() };

        public async Task<(double HostCpuMs, double PostgresCpuMs, double ClientCpuMs, long Commits, long HostSwitches)> SinceAsync(Mark mark)
        {
            // CPU first (it is the phase's), then the statistics once every backend has flushed them.
            var hostCpu = HostCpu() - mark.HostCpuMs;
            // Per thread, so a thread that ended during the phase takes its count out of neither side; a count below the
            // mark's is a new thread that got an ended one's id.
            var switches = HostSwitches().Sum(t => mark.HostSwitches?.GetValueOrDefault(t.Key) is { } before && before <= t.Value ? t.Value - before : t.Value);
            var clientCpu = ClientCpu() - mark.ClientCpuMs;
            var postgres = await PostgresCpuAsync();
            var postgresCpu = postgres.Sum(p => p.Value - mark.PostgresCpuMs.GetValueOrDefault(p.Key));
            PostgresCpuByKind = postgres
                .GroupBy(p => _kinds.GetValueOrDefault(p.Key, "?"))
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value - mark.PostgresCpuMs.GetValueOrDefault(p.Key)));
            await Task.Delay(StatsSettle);
            var own = _ownStatements - mark.OwnStatements;
            var commits = await CommitsAsync() - mark.Commits - own;
            return (hostCpu, postgresCpu, clientCpu, commits, switches);
        }

        /// <summary>The last <see cref="SinceAsync"/>'s PostgreSQL CPU split by process kind (<c>backend_type</c>).</summary>
        public IReadOnlyDictionary<string, double> PostgresCpuByKind { get; private set; } = new Dictionary<string, double>();

        private readonly Dictionary<int, string> _kinds = [];

        private double HostCpu() => hosts.Sum(HttpPhase.ServerCpuMs);

        /// <summary>
        /// The hosts' context switches, all threads (<c>/proc/PID/task/*/status</c>): each is a thread that went to sleep
        /// (waiting for work or I/O) or was preempted, and is woken again, in the kernel, at a CPU cost of its own. A count,
        /// so it moves far less with the neighbours' load than CPU time. Per thread (key: its <c>/proc</c> path): a thread
        /// that ended during a phase is not in the phase's count (an undercount, never a negative one).
        /// </summary>
        private Dictionary<string, long> HostSwitches()
        {
            var threads = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var pid in hosts)
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    try
                    {
                        long count = 0;
                        foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                        {
                            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                                count += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                        }
                        threads[task] = count;
                    }
                    catch (IOException)
                    {
                        // The thread ended in between.
                    }
                }
            }
            return threads;
        }

        /// <summary>The bench's own CPU (its callers and this meter): it runs on the same cores as the hosts.</summary>
        private static double ClientCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

        private async Task<long> CommitsAsync()
        {
            // Each statement is its own transaction, so each reads a fresh snapshot of the statistics.
            return await ScalarAsync("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        }

        /// <summary>
        /// CPU of the server processes that serve this database (its backends, the hosts' and the bench's) and of the
        /// server-wide writers (WAL writer, checkpointer, background writer), which other databases' work also uses.
        /// </summary>
        private async Task<Dictionary<int, double>> PostgresCpuAsync()
        {
            var pids = new List<int>();
            if (_connection is null) await ScalarAsync("SELECT 1");
            await using (var cmd = new NpgsqlCommand(
                "SELECT pid, backend_type FROM pg_stat_activity WHERE datname = current_database() OR backend_type IN ('walwriter', 'checkpointer', 'background writer')", _connection))
            {
                _ownStatements++;
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    pids.Add(reader.GetInt32(0));
                    _kinds[reader.GetInt32(0)] = reader.GetString(1);
                }
            }
            var cpu = new Dictionary<int, double>();
            foreach (var pid in pids)
            {
                try
                {
                    cpu[pid] = HttpPhase.ServerCpuMs(pid);
                }
                catch (IOException)
                {
                    // Ended in between (a closed pooled connection).
                }
            }
            return cpu;
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null) await _connection.DisposeAsync();
        }
    }
}
