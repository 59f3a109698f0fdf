using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Testing;
using Exit.Workflows.Alterations;
using Exit.Workflows.Hosting;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Elsa;

/// <summary>
/// The Elsa API over the real EF stores (SQLite file) with two municipalities' definitions, instances, journals and
/// alteration plans: every read and write by id answers 404 for another municipality's resource, and lists show only the
/// caller's. The Host's per-request scope (the signed-in user's municipality) is not part of this API host: a test
/// middleware enters the tenant the request names in <c>X-Test-Tenant</c>, as that scope will.
/// </summary>
public sealed class ElsaTenantSeparationTests : IAsyncLifetime
{
    private const string Aarhus = "aarhus";
    private readonly SqliteTestDatabase _database = SqliteTestDatabase.Create();
    private ElsaApiHost _host = null!;
    private string _planId = "";

    public async Task InitializeAsync()
    {
        _host = await ElsaApiHost.StartAsync(services =>
        {
            services.AddExitWorkflows(new ExitWorkflowOptions { Database = _database.Options, DurableTimers = false });
            services.AddSingleton<IStartupFilter, TenantFromHeader>();
        });
        var store = _host.Services.GetRequiredService<IWorkflowDefinitionStore>();
        var instances = _host.Services.GetRequiredService<IWorkflowInstanceStore>();
        using (TenantScope.Enter(Aarhus))
        {
            await store.SaveAsync([Seed.Version(Seed.Wf1Model(), "wf1-v1", "wf1", 1, isLatest: true, isPublished: true)], CancellationToken.None);
            await instances.CommitAsync(StartCommit("inst-aarhus", "wf1", "wf1-v1"), CancellationToken.None);
            var plan = await _host.Services.CreateScope().ServiceProvider.GetRequiredService<AlterationPlanStore>().SubmitAsync(
                [], AlterationInstanceFilter.Empty, "coordinator", Seed.T0, CancellationToken.None);
            _planId = plan.Id;
        }
        using (TenantScope.Enter(TenantIds.Default))
        {
            await store.SaveAsync([Seed.Version(Seed.Wf1Model(), "own-v1", "own", 1, isLatest: true, isPublished: true)], CancellationToken.None);
            await instances.CommitAsync(StartCommit("inst-default", "own", "own-v1"), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static InstanceCommit StartCommit(string id, string definitionId, string versionId)
    {
        var instance = new WorkflowInstance
        {
            Id = id, DefinitionId = definitionId, DefinitionVersionId = versionId, DefinitionVersion = 1, Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Suspended, CreatedAt = Seed.T0, UpdatedAt = Seed.T0,
        };
        var journal = new JournalRecord(id, 0, Seed.T0, "ae0", null, "flowchart1", "Elsa.Flowchart", 1, "flowchart1", "Workflow1:flowchart1",
            "Started", null, null, null);
        return new InstanceCommit(instance, null, [], [], [journal], []);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string tenant, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TenantFromHeader.Header, tenant);
        if (body is not null) request.Content = JsonContent.Create(body);
        return _host.Client.SendAsync(request);
    }

    public static TheoryData<string, string, bool> ByIdRoutes => new()
    {
        { "GET", "/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Latest", false },
        { "GET", "/elsa/api/workflow-definitions/by-id/wf1-v1", false },
        { "GET", "/elsa/api/workflow-definitions/wf1/export", false },
        { "GET", "/elsa/api/workflow-instances/inst-aarhus", false },
        { "POST", "/elsa/api/workflow-instances/inst-aarhus/journal", true },
        { "GET", "/elsa/api/workflow-instances/inst-aarhus/variables", false },
        { "GET", "/elsa/api/workflow-instances/inst-aarhus/execution-state", false },
        { "POST", "/elsa/api/workflow-definitions/wf1/retract", false },
        { "DELETE", "/elsa/api/workflow-definitions/wf1", false },
    };

    [Theory]
    [MemberData(nameof(ByIdRoutes))]
    public async Task AnotherMunicipalitysResource_Answers404_ItsOwnAnswers(string method, string path, bool body)
    {
        var refused = await SendAsync(new HttpMethod(method), TenantIds.Default, path, body ? new { } : null);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        if (method == "DELETE" || path.EndsWith("/retract", StringComparison.Ordinal)) return; // the owner's answer is not the point there
        var own = await SendAsync(new HttpMethod(method), Aarhus, path, body ? new { } : null);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task AlterationPlanOfAnotherMunicipality_Answers404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, TenantIds.Default, $"/elsa/api/alterations/{_planId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Aarhus, $"/elsa/api/alterations/{_planId}")).StatusCode);
    }

    [Fact]
    public async Task Lists_ShowOnlyTheCallersMunicipality_AndItsWritesNeverReachAnother()
    {
        var definitions = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, TenantIds.Default, "/elsa/api/workflow-definitions?versionOptions=Latest")).Content.ReadAsStringAsync())!;
        Assert.Equal(["own"], definitions["items"]!.AsArray().Select(d => (string)d!["definitionId"]!));
        var instances = JsonNode.Parse(await (await SendAsync(HttpMethod.Post, TenantIds.Default, "/elsa/api/workflow-instances", new { })).Content.ReadAsStringAsync())!;
        Assert.Equal(["inst-default"], instances["items"]!.AsArray().Select(i => (string)i!["id"]!));

        // Default deletes "its" wf1 (it has none): aarhus' wf1 stays.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, TenantIds.Default, "/elsa/api/workflow-definitions/wf1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Aarhus, "/elsa/api/workflow-definitions/by-id/wf1-v1")).StatusCode);

        // A save under aarhus' definition id in default becomes default's own definition, not a new aarhus version.
        var model = Seed.Wf1Model();
        model["definitionId"] = "wf1";
        var saved = await SendAsync(HttpMethod.Post, TenantIds.Default, "/elsa/api/workflow-definitions", new { model, publish = false });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var aarhusLatest = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, Aarhus, "/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Latest")).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)aarhusLatest["version"]!);
        Assert.Equal("wf1-v1", (string)aarhusLatest["id"]!);
        var defaultLatest = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, TenantIds.Default, "/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Latest")).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)defaultLatest["version"]!);
        Assert.NotEqual("wf1-v1", (string)defaultLatest["id"]!);
    }

    /// <summary>Enters the tenant a test request names, as the Host's per-request municipality scope does.</summary>
    private sealed class TenantFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Tenant";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers[Header].FirstOrDefault() is { } tenant)
                {
                    using var scope = TenantScope.Enter(tenant);
                    await nextMiddleware(context);
                }
                else
                {
                    await nextMiddleware(context);
                }
            });
            next(app);
        };
    }
}
