using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Microsoft.Data.Sqlite;
using static Exit.Bench.Stats;

namespace Exit.Bench;

/// <summary>
/// Starts and completions as a client sees them: the real Host (<c>Exit.Host.dll</c>, Kestrel on a loopback port) in a
/// process of its own on a fresh SQLite file, an API key from configuration, and the real endpoints
/// (<c>POST /elsa/api/workflow-definitions/{id}/execute</c>, <c>POST /api/tasks/{id}/complete</c>) with everything on
/// the way: authentication, authorisation, the task access check, audit entries, request logging (Information, compact
/// JSON, to /dev/null). CPU and bytes written are the server process's (<c>/proc/PID/stat</c>, <c>/proc/PID/io</c>); the
/// client's own CPU is given apart.
/// </summary>
internal sealed class HttpPhase(BenchOptions options, string work, string definitions)
{
    private readonly List<(string Metric, string Value, string Target, string Note)> _rows = [];
    private readonly string _adminKey = StoredBenchKey.NewAdminKey();

    public IReadOnlyList<(string Metric, string Value, string Target, string Note)> Rows => _rows;

    public async Task RunAsync()
    {
        var hostDll = FindHost() ?? throw new FileNotFoundException("Exit.Host.dll not found (build src/Host -c Release).");
        var database = Path.Combine(work, "http.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        var key = ApiKeyDefaults.KeyPrefix + "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var port = FreePort();

        using var server = StartServer(hostDll, database, key, port);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromMinutes(2),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, key);
            await WaitUntilHealthyAsync(client, server);
            if (options.StoredKey)
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, await StoredBenchKey.CreateAsync(client, _adminKey));

            // Warm-up on this server (JIT, pools), not measured: the in-process phases warm only the bench process.
            var warm = Math.Min(200, options.Instances);
            await DriveAsync(server, warm, _ => StartAsync(client));
            var warmTasks = await OpenTaskIdsAsync(database);
            await DriveAsync(server, warmTasks.Count, i => CompleteAsync(client, warmTasks[i]));

            var starts = await DriveAsync(server, options.Instances, _ => StartAsync(client));
            Report("starts", "instances started/s through HTTP (POST …/execute, Kestrel + API key)", "≥ 2,500/s", starts, options.Instances);

            var ids = await OpenTaskIdsAsync(database);
            var completions = await DriveAsync(server, ids.Count, i => CompleteAsync(client, ids[i]));
            Report("completions", "task completions/s through HTTP (POST /api/tasks/{id}/complete)", "≥ 2,000/s", completions, ids.Count);
        }
        finally
        {
            await StopAsync(server);
        }
    }

    private sealed record Measured(TimeSpan Elapsed, List<double> Latencies, double ServerCpuMs, double ClientCpuMs, long ServerBytes);

    private void Report(string phase, string metric, string target, Measured m, int count)
    {
        var rate = count / m.Elapsed.TotalSeconds;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(m.Latencies, 50):F1} ms, p99 {Percentile(m.Latencies, 99):F1} ms; server {m.ServerCpuMs / count:F2} CPU-ms/op (≈ {Environment.ProcessorCount * 1000 / (m.ServerCpuMs / count):N0}/s if the cores were the server's), client {m.ClientCpuMs / count:F2} CPU-ms/op; server wrote {m.ServerBytes / 1024.0 / count:F1} KB/op");
        Console.WriteLine(FormattableString.Invariant($"http {phase} ({options.KeyKind}): {count} in {m.Elapsed.TotalSeconds:F2} s = {rate:F0}/s; {note}  [load {LoadAverage()}]"));
        _rows.Add((metric, F(rate), target, note));
    }

    private static async Task StartAsync(HttpClient client)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/elsa/api/workflow-definitions/{BenchRun.TaskDefinition}/execute", content);
        await EnsureAsync(response);
    }

    private static async Task CompleteAsync(HttpClient client, string taskId)
    {
        using var content = new StringContent("""{"outcome":"Approved"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/tasks/{taskId}/complete", content);
        await EnsureAsync(response);
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary><paramref name="count"/> requests by the configured number of callers; server CPU and bytes over exactly that span.</summary>
    private async Task<Measured> DriveAsync(Process server, int count, Func<int, Task> call)
    {
        var serverCpu0 = ServerCpuMs(server.Id);
        var serverBytes0 = ServerWriteBytes(server.Id);
        var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var latencies = new double[count];
        var next = -1;
        Exception? failure = null;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && failure is null)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await call(i);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                latencies[i] = Ms(Stopwatch.GetTimestamp() - t0);
            }
        })));
        watch.Stop();
        if (failure is not null) throw new InvalidOperationException("HTTP phase: a request failed", failure);
        return new Measured(watch.Elapsed, [.. latencies], ServerCpuMs(server.Id) - serverCpu0,
            Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - clientCpu0, ServerWriteBytes(server.Id) - serverBytes0);
    }

    private Process StartServer(string hostDll, string database, string key, int port)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            // exec: the shell becomes the server, so the pid measured is the server's; its console log goes nowhere.
            ArgumentList = { "-c", $"exec dotnet \"{hostDll}\" --urls http://127.0.0.1:{port} >/dev/null 2>\"{Path.Combine(work, "http-host.err")}\"" },
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            UseShellExecute = false,
        };
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Staging"; // compact JSON logs as in production, without a data-protection certificate
        // Fully optimised code from the first call, as the bench process itself runs (see Exit.Bench.csproj): the figures
        // describe a server in its steady state, not one still JIT-compiling its hot path.
        env["DOTNET_TieredCompilation"] = "0";
        env["Exit__Database__Provider"] = "Sqlite";
        env["Exit__Database__SqlitePath"] = database;
        env["Exit__DefinitionsFolder"] = definitions;
        env["Exit__Cti__CprKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        env["Exit__Auth__ApiKeys__0__Name"] = "bench";
        env["Exit__Auth__ApiKeys__0__Sha256"] = ApiKeyDefaults.Hash(key);
        env["Exit__Auth__ApiKeys__0__Roles"] = string.Join(",", ExitRoles.All);
        env["Exit__Auth__ApiKeys__0__CitizenData"] = "true";
        StoredBenchKey.ConfigureAdminKey(env, _adminKey);
        foreach (var (name, value) in options.HostEnvironment) env[name] = value; // --host-env: A/B runs, DOTNET_PerfMapEnabled for perf
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the Host");
    }

    private async Task WaitUntilHealthyAsync(HttpClient client, Process server)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (server.HasExited)
                throw new InvalidOperationException($"the Host exited with {server.ExitCode}: {await File.ReadAllTextAsync(Path.Combine(work, "http-host.err"))}");
            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine($"http: Host (pid {server.Id}) answered /health after {watch.Elapsed.TotalSeconds:F1} s");
                    return;
                }
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("the Host did not become healthy within 2 minutes");
    }

    private static async Task StopAsync(Process server)
    {
        if (server.HasExited) return;
        _ = Kill(server.Id, 15); // SIGTERM: the Host shuts down gracefully
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await server.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    internal static extern int Kill(int pid, int signal);

    private static async Task<List<string>> OpenTaskIdsAsync(string database)
    {
        await using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT \"Id\" FROM \"HumanTasks\" WHERE \"Status\" = 'Open' ORDER BY \"Id\"";
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>User + system CPU of the server process (<c>/proc/PID/stat</c> fields 14 and 15, in clock ticks of 10 ms).</summary>
    internal static double ServerCpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static long ServerWriteBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
        return 0;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The Host as built (Release) next to this repository's bench, run with its own runtime configuration; or the one
    /// <c>EXIT_BENCH_HOST_DLL</c> names (A/B runs of two builds of the Host in the same minutes).
    /// </summary>
    internal static string? FindHost()
    {
        if (Environment.GetEnvironmentVariable("EXIT_BENCH_HOST_DLL") is { Length: > 0 } named) return File.Exists(named) ? named : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Host", "bin", "Release", "net10.0", "Exit.Host.dll");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
