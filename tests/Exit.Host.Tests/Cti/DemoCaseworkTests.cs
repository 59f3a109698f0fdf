using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Exit.Host.Tests.Cti;

/// <summary>--demo shows issue 8's registers: a network on a demo course, descriptors, an intake register, team-queue tasks.</summary>
public sealed class DemoCaseworkTests
{
    [Fact]
    public async Task DemoData_HasNetworkDescriptorsIntakeAndATeamQueueTask()
    {
        using var host = new ExitHostFactory(configure: b =>
        {
            b.UseSetting("Exit:Demo", "true");
            b.UseSetting("Exit:DemoData", "true");
        });
        var manager = host.CreateClientAs(ExitRoles.Manager);

        // The seeder runs after start-up: wait for its last step, the enquiries.
        JsonArray items = [];
        for (var i = 0; i < 120 && items.Count < 4; i++)
        {
            items = (await manager.GetFromJsonAsync<JsonObject>("/api/intake?from=2000-01-01"))!["items"]!.AsArray();
            if (items.Count < 4) await Task.Delay(500);
        }

        Assert.Equal(4, items.Count);
        var courseId = (string)items.Single(e => e!["courseId"] is not null)!["courseId"]!;
        var network = (await manager.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/network"))!["members"]!.AsArray();
        // The scheme's demo data (the match) comes after the enquiries: wait for it.
        for (var i = 0; i < 60 && network.Count < 4; i++)
        {
            await Task.Delay(500);
            network = (await manager.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/network"))!["members"]!.AsArray();
        }

        // Three actors and the demo support-and-contact person matched to the course (she joins its network).
        Assert.Equal(4, network.Count);
        var descriptors = (await manager.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/descriptors"))!;
        Assert.Equal("EscortOrOnline", (string?)descriptors["prostitutionForm"]);
        var queue = (await host.CreateClientAs(ExitRoles.Worker).GetFromJsonAsync<JsonObject>("/api/tasks/queue"))!["items"]!.AsArray();
        Assert.Contains(queue, t => (string?)t!["title"] == "Gennemgå sagen");
    }
}
