using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Workflows.Diagnostics;
using Exit.Workflows.Execution;
using Exit.Workflows.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Operations;

/// <summary>
/// The Prometheus scrape endpoint of the real Host (SQLite file, real Quartz, manual clock): admin only, and the
/// timer-lag histogram moves when a storm of timers falls due. The runtime's meter is process-wide, so other tests
/// running at the same time can only add to the figures: the assertions are on increases of at least the storm.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    private const int Storm = 60;

    private const string Flow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "String", "expression": { "type": "Literal", "value": "PT1H" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
          { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    [Fact]
    public async Task Metrics_AreForAdminsOnly()
    {
        using var host = new ExitHostFactory();
        // Not under /api: an anonymous caller is sent to the sign-in page, like every page.
        var anonymous = await host.CreateClientAs(null).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.CreateClientAs(ExitRoles.Manager).GetAsync("/metrics")).StatusCode);
        var response = await host.CreateClientAs(ExitRoles.Admin).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimerStorm_MovesTheTimerLagHistogram_InTheScrape()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var host = new ExitHostFactory(clock);
        var admin = host.CreateClientAs(ExitRoles.Admin);
        await WorkflowApi.ImportAsync(host.CreateClient(), WorkflowApi.Definition("metrics-delay", Flow));

        // Storm 1: due at 10:00, the clock jumps to 10:10, so each resume is ten minutes late (between 300 and 900 s).
        var before = Lag.Parse(await ScrapeAsync(admin));
        await StartAsync(host, Storm);
        clock.Advance(TimeSpan.FromMinutes(70));
        await WaitFinishedAsync(host, Storm);
        var afterFirst = Lag.Parse(await ScrapeAsync(admin));
        Assert.True(afterFirst.Count - before.Count >= Storm, $"lag count moved {afterFirst.Count - before.Count}, expected ≥ {Storm}");
        Assert.True(afterFirst.Between(300, 900) - before.Between(300, 900) >= Storm,
            $"lag samples in (300 s, 900 s] moved {afterFirst.Between(300, 900) - before.Between(300, 900)}, expected ≥ {Storm}");
        Assert.True(afterFirst.Sum - before.Sum >= Storm * 600 - 1, $"lag sum moved {afterFirst.Sum - before.Sum} s");

        // Storm 2: two hours late this time: the samples land in (3600 s, 21600 s].
        await StartAsync(host, Storm);
        clock.Advance(TimeSpan.FromHours(3));
        await WaitFinishedAsync(host, 2 * Storm);
        var afterSecond = Lag.Parse(await ScrapeAsync(admin));
        Assert.True(afterSecond.Between(3600, 21600) - afterFirst.Between(3600, 21600) >= Storm,
            $"lag samples in (3600 s, 21600 s] moved {afterSecond.Between(3600, 21600) - afterFirst.Between(3600, 21600)}, expected ≥ {Storm}");

        var text = await ScrapeAsync(admin);
        Assert.Contains("exit_workflow_starts_total", text, StringComparison.Ordinal);
        Assert.Contains("exit_workflow_completions_total", text, StringComparison.Ordinal);
        Assert.Contains("exit_workflow_commit_batch_size", text, StringComparison.Ordinal);
        Assert.Contains("exit_workflow_commit_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("exit_workflow_sweep_duration_seconds_bucket", text, StringComparison.Ordinal);

        // ASP.NET Core's HTTP metrics: a request is counted once its response has completed, so look again briefly.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            text = await ScrapeAsync(admin);
        }
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpRequest_IsTheParentOfTheWorkflowStep_WhichIsTheParentOfTheCommit()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is WorkflowTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var host = new ExitHostFactory(new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, WorkflowApi.Definition("traced-delay", Flow));
        var instanceId = await WorkflowApi.ExecuteAsync(client, "traced-delay");

        var step = Assert.Single(spans, s => s.OperationName == "workflow.start" && (string?)s.GetTagItem("exit.workflow.instance_id") == instanceId);
        var commit = Assert.Single(spans, s => s.OperationName == "workflow.commit" && s.ParentSpanId == step.SpanId);
        var request = Assert.Single(spans, s => s.SpanId == step.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", request.OperationName);
        Assert.Equal(request.TraceId, commit.TraceId);
    }

    private static async Task StartAsync(ExitHostFactory host, int count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest("metrics-delay"), ct);
        });
    }

    private static async Task WaitFinishedAsync(ExitHostFactory host, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_instances WHERE status = 1") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the storm did not finish within 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The timer-lag histogram as the scrape text shows it (cumulative buckets by upper bound).</summary>
    private sealed record Lag(double Count, double Sum, IReadOnlyDictionary<double, double> Buckets)
    {
        public static Lag Parse(string text)
        {
            var buckets = new Dictionary<double, double>();
            double count = 0, sum = 0;
            foreach (Match m in Sample().Matches(text))
            {
                var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
                switch (m.Groups["suffix"].Value)
                {
                    case "count": count = value; break;
                    case "sum": sum = value; break;
                    default:
                        var le = Regex.Match(m.Groups["labels"].Value, "le=\"([^\"]+)\"").Groups[1].Value;
                        buckets[le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture)] = value;
                        break;
                }
            }
            return new Lag(count, sum, buckets);
        }

        /// <summary>Samples with lower &lt; lag ≤ upper (both must be bucket bounds).</summary>
        public double Between(double lower, double upper) =>
            Buckets.GetValueOrDefault(upper) - Buckets.GetValueOrDefault(lower);
    }

    [GeneratedRegex("""^exit_workflow_timer_lag_seconds_(?<suffix>bucket|count|sum)(\{(?<labels>[^}]*)\})? (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
