using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// An audit chain written before lanes: the identity store migrated up to the migration before <c>AuditLanes</c>,
/// entries inserted as that version wrote them (no lane column, each hash over the previous entry's), then the
/// remaining migrations and start-up. The old entries are lane 0 and still verify; new entries continue lane 0's
/// chain, and an entry in this process's own lane starts a chain beside it.
/// </summary>
public abstract class AuditLanesMigrationTests
{
    private const string LastBeforeLanes = Exit.Host.Infrastructure.Auth.Migrations.Municipalities.Id;

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task AChainFromBeforeLanes_StillVerifies_AndNewEntriesContinueIt()
    {
        await using var database = await CreateDatabaseAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddExitAuth(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), database.Options);
        await using var provider = services.BuildServiceProvider();

        string? previous = null;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            await db.GetService<IMigrator>().MigrateAsync(LastBeforeLanes);
            for (var i = 0; i < 3; i++) previous = await InsertAsBeforeLanesAsync(db, SampleAuditEntry.Read($"old-{i}"), previous);
        }

        await provider.MigrateIdentityAsync(CancellationToken.None); // the lanes migration, then start-up's chain check

        await using (var scope = provider.CreateAsyncScope())
        using (TenantScope.Enter(TenantIds.Default))
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            Assert.Equal([0, 0, 0], await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Lane).ToArrayAsync());
            Assert.Equal((true, 3L), Summary(await AuditChain.VerifyAsync(db, tail: null, CancellationToken.None)));

            var continued = SampleAuditEntry.Read("new-in-lane-0");
            await AuditChain.AppendAsync(db, continued, CancellationToken.None);
            Assert.Equal(AuditChain.Compute(previous, continued), continued.Hash); // follows the last old entry

            var ownLane = provider.GetRequiredService<AuditLane>().Value;
            var own = SampleAuditEntry.Read("new-in-own-lane");
            own.Lane = ownLane;
            await AuditChain.AppendAsync(db, own, CancellationToken.None);
            if (database.Options.Provider == DatabaseProvider.Sqlite) Assert.Equal(0, ownLane); // one writer: one lane
            else
            {
                Assert.InRange(ownLane, (short)1, AuditLane.Max); // drawn at start-up from the database's sequence
                Assert.Equal(AuditChain.Compute(null, own), own.Hash); // the first entry of a lane of its own
            }

            var result = await AuditChain.VerifyAsync(db, tail: null, CancellationToken.None);
            Assert.Equal((true, 5L), Summary(result));
            Assert.Equal(await db.AuditEntries.MaxAsync(e => e.Id), result.LastId); // the newest entry of any lane
        }
    }

    private static (bool, long) Summary(AuditChain.Verification v) => (v.Intact, v.Checked);

    /// <summary>The insert of the version before lanes: no lane, the hash over the previous entry of the municipality.</summary>
    private static async Task<string> InsertAsBeforeLanesAsync(ExitIdentityDbContext db, AuditEntry e, string? previous)
    {
        var hash = AuditChain.Compute(previous, e);
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                INSERT INTO "ExitAuditEntries" ("TenantId", "At", "UserId", "UserName", "Action", "ResourceType", "ResourceId", "CitizenId",
                    "Purpose", "Outcome", "Ip", "ApiKeyId", "Hash")
                VALUES (@tenantId, @at, @userId, @userName, @action, @resourceType, @resourceId, @citizenId, @purpose, @outcome, @ip, NULL, @hash)
                """;
            command.AddParameter("@tenantId", e.TenantId);
            command.AddParameter("@at", e.At.UtcTicks);
            command.AddParameter("@userId", e.UserId);
            command.AddParameter("@userName", e.UserName);
            command.AddParameter("@action", e.Action.ToString());
            command.AddParameter("@resourceType", e.ResourceType);
            command.AddParameter("@resourceId", e.ResourceId);
            command.AddParameter("@citizenId", e.CitizenId);
            command.AddParameter("@purpose", e.Purpose);
            command.AddParameter("@outcome", e.Outcome.ToString());
            command.AddParameter("@ip", e.Ip);
            command.AddParameter("@hash", hash);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return hash;
    }
}

public sealed class SqliteAuditLanesMigrationTests : AuditLanesMigrationTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresAuditLanesMigrationTests : AuditLanesMigrationTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
