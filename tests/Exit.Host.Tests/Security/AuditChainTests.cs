using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14: the audit log is a hash chain. An entry altered in the database is named by the check; entries written
/// at the same time still form one chain. Runs on SQLite and PostgreSQL.
/// </summary>
public abstract class AuditChainTests : IAsyncLifetime
{
    private ExitHostFactory _host = null!;

    protected abstract IHostDatabase Database { get; }

    public async Task InitializeAsync()
    {
        _host = await Database.CreateHostAsync();
        _ = _host.Services; // started once, before the concurrent writers
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [DatabaseFact]
    public async Task AlteringOneEntrysText_MakesTheCheckNameThatEntry()
    {
        for (var i = 0; i < 5; i++) await WriteAsync($"course-{i}");
        Assert.True((bool)(await ChainAsync())["intact"]!);
        long target;
        using (var scope = _host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            target = await db.AuditEntries.Where(e => e.ResourceId == "course-2").Select(e => e.Id).SingleAsync();
            await db.AuditEntries.Where(e => e.Id == target).ExecuteUpdateAsync(s => s.SetProperty(e => e.Purpose, "nothing to see"));
        }

        var chain = await ChainAsync();

        Assert.False((bool)chain["intact"]!);
        Assert.Equal(target, (long)chain["firstBrokenId"]!);
        // The start-up check reads only the newest entries: the altered one is within the last four, not the last two.
        using var check = _host.Services.CreateScope();
        var context = check.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.Equal(target, (await AuditChain.VerifyAsync(context, tail: 4, CancellationToken.None)).FirstBrokenId);
        Assert.True((await AuditChain.VerifyAsync(context, tail: 2, CancellationToken.None)).Intact);
    }

    [DatabaseFact]
    public async Task EntriesWrittenConcurrently_StillFormOneChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => WriteAsync($"concurrent-{i}"))));

        var chain = await ChainAsync();

        Assert.True((bool)chain["intact"]!, chain.ToJsonString());
        Assert.True((long)chain["checked"]! >= 40);
        using var scope = _host.Services.CreateScope();
        var hashes = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.Select(e => e.Hash).ToListAsync();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    private async Task WriteAsync(string resourceId)
    {
        using var scope = _host.Services.CreateScope();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u-1"), new Claim(ClaimTypes.Name, "someone")], "test"));
        await scope.ServiceProvider.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord(AuditAction.Read, "course", resourceId, "citizen-1", "casework"), user);
    }

    private async Task<JsonObject> ChainAsync()
    {
        var response = await _host.CreateClientAs(ExitRoles.Admin).GetAsync("/api/audit/chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

public sealed class SqliteAuditChainTests : AuditChainTests
{
    protected override IHostDatabase Database { get; } = new SqliteHostDatabase();
}

[RequiresPostgres]
public sealed class PostgresAuditChainTests : AuditChainTests
{
    protected override IHostDatabase Database { get; } = new PostgresHostDatabase();
}
