using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Exit.Host.Tests.Runtime;

/// <summary>
/// Exit.Host as a separate operating-system process on a SQLite file, so a test can kill it with SIGKILL
/// (no shutdown hooks, no flushing) and start it again on the same file.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static Task<HostProcess> StartAsync(string databasePath, string logPath) =>
        StartAsync(new Dictionary<string, string>
        {
            ["Exit__Database__Provider"] = "Sqlite",
            ["Exit__Database__SqlitePath"] = databasePath,
        }, logPath);

    /// <summary>
    /// The Host with <paramref name="environment"/> as its database (and other) configuration, e.g. one of several hosts
    /// on one PostgreSQL database; waits until <paramref name="readyPath"/> answers 200.
    /// </summary>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string logPath, string readyPath = "/health",
        TimeSpan? timeout = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssemblyPath(), "--urls", address.ToString().TrimEnd('/') },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssemblyPath())!,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["Exit__Logging__File"] = logPath;
        // Development: the service provider validates scopes, so a captive dependency stops the process here too.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in Infrastructure.TestApiKeys.Settings()) info.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new HostProcess(process, address);
        try
        {
            await host.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(90), readyPath);
        }
        catch
        {
            host.Dispose(); // a host that did not become ready is not left running
            throw;
        }
        return host;
    }

    /// <summary>
    /// Runs the Host until it exits by itself (a refused start-up), with only <paramref name="environment"/> for
    /// configuration; answers its exit code and standard error. Killed after a minute if it keeps running.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssemblyPath())!,
        };
        info.ArgumentList.Add(HostAssemblyPath());
        foreach (var arg in args.Append("--urls").Append($"http://127.0.0.1:{FreePort()}")) info.ArgumentList.Add(arg);
        info.Environment["Exit__Logging__Json"] = "false";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Exit.Host kept running; expected it to refuse to start. Output: " + await output);
        }

        return (process.ExitCode, await error + await output);
    }

    /// <summary>A client with the all-roles test API key.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        Infrastructure.TestApiKeys.Authorize(client, Infrastructure.TestApiKeys.AllRoles);
        return client;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    /// <summary>The operating system's process id (a host's timer claims carry it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGTERM: the orderly stop a container runtime or systemd asks for; waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, string readyPath)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Exit.Host exited with code {_process.ExitCode} during start-up");
            try
            {
                if ((await client.GetAsync(readyPath)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("Exit.Host did not become healthy in time");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Host built beside this test assembly's configuration (Debug or Release).</summary>
    internal static string HostAssemblyPath()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Exit.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Exit.sln not found above the test output folder");
        var path = Path.Combine(root.FullName, "src", "Host", "bin", configuration, framework, "Exit.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Host first", path);
    }
}
