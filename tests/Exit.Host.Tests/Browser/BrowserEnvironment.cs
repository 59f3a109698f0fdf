using Microsoft.Playwright;
using Xunit;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// Where the browser for UI tests comes from: Debian's chromium (never <c>playwright install</c>, see shared/packages.md).
/// Without chromium the browser tests are skipped on a developer machine and fail when <c>CI</c> is set.
/// </summary>
public static class BrowserEnvironment
{
    /// <summary><c>/usr/bin/chromium</c>, or the path in <c>EXIT_CHROMIUM</c>.</summary>
    public static string ChromiumPath { get; } =
        Environment.GetEnvironmentVariable("EXIT_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static bool ChromiumAvailable => File.Exists(ChromiumPath);

    /// <summary>True when the <c>CI</c> variable is set to anything but "false"/"0".</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci
        && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0";

    /// <summary>Why browser tests are skipped here, or null when they must run.</summary>
    public static string? SkipReason => ChromiumAvailable || IsCi
        ? null
        : $"Browser test skipped: chromium not found at {ChromiumPath} (install with `apt-get install -y chromium` or set EXIT_CHROMIUM). With CI=true this is a failure.";

    public static string MissingBrowserMessage =>
        $"chromium not found at {ChromiumPath} and CI is set, so browser tests fail instead of skipping. Install it with `apt-get update && apt-get install -y chromium` (never `playwright install`).";

    public static BrowserTypeLaunchOptions LaunchOptions => new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    };
}

/// <summary>A <see cref="Xunit.FactAttribute"/> that skips (with the reason) when no browser is available outside CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
