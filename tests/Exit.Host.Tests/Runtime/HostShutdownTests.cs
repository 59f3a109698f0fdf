using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Hosting;
using Exit.Workflows.Timers.Sweep;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Runtime;

/// <summary>Shutting the service down never throws, whatever order the host tears its parts down in.</summary>
public sealed class HostShutdownTests
{
    [Fact]
    public async Task Stop_AfterTheDueTimerSweeperWasDisposed_DoesNotThrow()
    {
        var host = new ExitHostFactory();
        using (host.CreateClient()) { } // starts the host
        await host.Services.GetRequiredService<DueTimerSweeper>().DisposeAsync();

        var error = await Record.ExceptionAsync(async () => await host.DisposeAsync());

        Assert.Null(error);
    }
}
