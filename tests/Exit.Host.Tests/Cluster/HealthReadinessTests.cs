using System.Net;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Exit.Host.Tests.Cluster;

/// <summary>
/// Readiness and liveness are separate: a started host is ready and live; a stopping one (SIGTERM) is at once not
/// ready, while it still answers (liveness, and requests in its drain time) so a load balancer moves work elsewhere.
/// </summary>
public sealed class HealthReadinessTests
{
    [Fact]
    public async Task Stopping_ReadyTurnsFalseAtOnce_LiveStaysTrueDuringTheDrain()
    {
        await using var host = new ExitHostFactory(configure: b => b.UseSetting("Exit:Hosting:DrainDelay", "00:00:05"));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = Task.Run(lifetime.StopApplication);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (!lifetime.ApplicationStopping.IsCancellationRequested && DateTime.UtcNow < deadline) await Task.Delay(10);

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("draining", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        await stopping;
    }
}
