using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exit.Host.Tests.Security;

/// <summary>
/// PostgreSQL's plan for a lane's last hash (the one-statement insert of the writer's batch, and the in-transaction
/// append's read) on a table where lane 0 holds the old entries and two hosts' lanes the newer ones: one probe of the
/// (TenantId, Lane, Id) index for every lane, also for lane 0, whose newest entry lies behind every later one — walking
/// the primary key backwards would read all of those, under the lane's lock.
/// </summary>
[RequiresPostgres]
public sealed class AuditLanePlanTests : IAsyncLifetime
{
    private readonly PostgresHostDatabase _database = new();
    private ExitHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _host = await _database.CreateHostAsync();
        _ = _host.Services; // migrated
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [DatabaseFact]
    public async Task ALanesLastHash_IsOneProbeOfTheLaneIndex_ForAnOldLaneAndANewOne()
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using (var fill = new NpgsqlCommand("""
            INSERT INTO "ExitAuditEntries" ("TenantId", "Lane", "At", "Action", "ResourceType", "Outcome", "Hash")
            SELECT 'default', CASE WHEN g <= 20000 THEN 0 ELSE 1 + g % 2 END, g, 'Read', 'course', 'Allowed', md5(g::text) || md5(g::text)
            FROM generate_series(1, 50000) g;
            ANALYZE "ExitAuditEntries";
            """, connection))
            await fill.ExecuteNonQueryAsync();

        foreach (short lane in new short[] { 0, 1, 5 })
        {
            var insert = await PlanAsync(connection, "EXPLAIN (COSTS OFF) " + AuditChainPostgres.Insert.Sql, AuditChainPostgres.Insert.Parameters,
                p => AuditChainPostgres.BindInsert(p, Entry(lane)));
            Assert.Contains("IX_ExitAuditEntries_TenantId_Lane_Id", insert);
            Assert.DoesNotContain("PK_ExitAuditEntries", insert);

            var read = await PlanAsync(connection, "EXPLAIN (COSTS OFF) " + AuditChain.LastHashSql,
                [("@tenantId", System.Data.DbType.String), ("@lane", System.Data.DbType.Int16)],
                p => { p[0].Value = TenantIds.Default; p[1].Value = lane; });
            Assert.Contains("IX_ExitAuditEntries_TenantId_Lane_Id", read);
            Assert.DoesNotContain("PK_ExitAuditEntries", read);
        }
    }

    private static AuditEntry Entry(short lane) => new()
    {
        TenantId = TenantIds.Default,
        Lane = lane,
        At = DateTimeOffset.UtcNow,
        Action = AuditAction.Read,
        ResourceType = "course",
        Outcome = AuditOutcome.Allowed,
    };

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, System.Data.DbType Type)> parameters,
        Action<System.Data.Common.DbParameterCollection> bind)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        StatementParameters.Declare(command.Parameters, command.CreateParameter, parameters);
        bind(command.Parameters);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    private string ConnectionString()
    {
        using var scope = _host.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().Database.GetConnectionString()!;
    }
}
