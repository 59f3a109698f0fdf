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

    public static async Task<HostProcess> StartAsync(string databasePath, string logPath)
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
        info.Environment["Exit__Database__Provider"] = "Sqlite";
        info.Environment["Exit__Database__SqlitePath"] = databasePath;
        info.Environment["Exit__Logging__File"] = logPath;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in Infrastructure.TestApiKeys.Settings()) info.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new HostProcess(process, address);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return host;
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

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Exit.Host exited with code {_process.ExitCode} during start-up");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
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
