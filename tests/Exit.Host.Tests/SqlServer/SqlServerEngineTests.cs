using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Database;
using Exit.Testing;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Xunit;

namespace Exit.Host.Tests.SqlServer;

/// <summary>
/// Against a real SQL Server (env <c>EXIT_TEST_SQLSERVER</c>; skipped without it, also under CI): every context's SQL
/// Server migrations build the whole schema on a fresh database, and a second run changes nothing; audit entries appended
/// at the same time form one chain (the sp_getapplock variant of the append lock). Never run here: these
/// machines have no SQL Server engine (README, "SQL Server").
/// </summary>
[RequiresSqlServer]
public sealed class SqlServerEngineTests
{
    [DatabaseFact]
    public async Task Every_context_migrates_a_fresh_database_and_a_second_run_finds_nothing_to_do()
    {
        await using var database = await SqlServerTestDatabase.CreateAsync();
        var cs = database.Options.ConnectionString;
        foreach (var create in SqlServerDesignTime.AllContexts)
        {
            await using var db = create(cs);
            await db.Database.MigrateAsync();
        }

        foreach (var create in SqlServerDesignTime.AllContexts)
        {
            await using var db = create(cs);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var expected = db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables.Select(t => t.Name).ToList();
            var actual = await TablesAsync(cs);
            Assert.All(expected, t => Assert.Contains(t, actual));
        }

        await using var connection = new SqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new SqlCommand("SELECT COUNT(*) FROM [ExitMunicipalities] WHERE [Id] = N'default'", connection);
        Assert.Equal(1, (int)(await cmd.ExecuteScalarAsync())!);
    }

    [DatabaseFact]
    public async Task Audit_entries_appended_at_the_same_time_form_one_intact_chain()
    {
        await using var database = await SqlServerTestDatabase.CreateAsync();
        var cs = database.Options.ConnectionString;
        await using (var db = SqlServerDesignTime.Identity(cs)) await db.Database.MigrateAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var db = SqlServerDesignTime.Identity(cs);
            await AuditChain.AppendAsync(db, new AuditEntry
            {
                At = DateTimeOffset.UtcNow, Action = AuditAction.Read, ResourceType = "course", ResourceId = $"course-{i}", Outcome = AuditOutcome.Allowed,
            }, CancellationToken.None);
        })));

        await using var check = SqlServerDesignTime.Identity(cs);
        var chain = await AuditChain.VerifyAsync(check, tail: null, CancellationToken.None);
        Assert.True(chain.Intact, $"first broken entry: {chain.FirstBrokenId}");
        Assert.Equal(20, chain.Checked);
    }

    private static async Task<HashSet<string>> TablesAsync(string cs)
    {
        await using var connection = new SqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new SqlCommand("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE'", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }
}
