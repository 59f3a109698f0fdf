using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Operations;
using Exit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Exit.Host.Tests.Privacy;

public sealed class ErasureOnSqliteTests : ErasureTests
{
    private string? _path;

    protected override Task<ExitHostFactory> CreateHostAsync()
    {
        var host = new ExitHostFactory(configure: Configure);
        _path = host.DatabasePath;
        return Task.FromResult(host);
    }

    protected override async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    /// <summary>After a checkpoint and VACUUM, the whole file as bytes, plus whatever the -wal still holds.</summary>
    protected override async Task<byte[]> EverythingStoredAsync()
    {
        await using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }
        var bytes = new List<byte>(await File.ReadAllBytesAsync(_path!));
        if (File.Exists(_path + "-wal")) bytes.AddRange(await File.ReadAllBytesAsync(_path + "-wal"));
        return [.. bytes];
    }
}

[RequiresPostgres]
public sealed class ErasureOnPostgresTests : ErasureTests, IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestDatabase.SkipReason is null) _database = await PostgresTestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }

    protected override Task<ExitHostFactory> CreateHostAsync() =>
        Task.FromResult(new ExitHostFactory(postgresConnectionString: _database.Options.ConnectionString, configure: Configure));

    protected override async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    /// <summary>Every table of the database, as pg_dump writes it (plain SQL with the data).</summary>
    protected override async Task<byte[]> EverythingStoredAsync()
    {
        var dump = await PostgresDumpRestoreTests.RunAsync("pg_dump", ["--format=plain", .. PostgresDumpRestoreTests.Connection(_database.Options.ConnectionString)]);
        Assert.Contains("ExitAuditEntries", dump, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(dump);
    }
}

/// <summary>
/// Erasure on request through the real Host: refused while the course runs; once it has ended, the citizen with an
/// unusual alias and CPR number is erased, and neither the alias, nor the CPR number (plain, formatted or encrypted)
/// is anywhere in the database any more — not in the citizen or course tables, the tasks' answers, the workflow state
/// or journal, nor the audit log, which still records the erasure (who, when, what) by citizen id.
/// </summary>
public abstract class ErasureTests
{
    // ASCII on purpose: JSON columns escape non-ASCII letters (\u00C6), which would hide a leftover from a byte search.
    private const string Alias = "Qzwvyx-Kalmarsk-7731";
    private const string Cpr = "2412791237";

    protected static void Configure(IWebHostBuilder builder) => builder.UseSetting("Exit:Cti:CprKey", CitizenScenario.CprKey);

    protected abstract Task<ExitHostFactory> CreateHostAsync();

    protected abstract Task<string?> ScalarAsync(string sql);

    protected abstract Task<byte[]> EverythingStoredAsync();

    [DatabaseFact]
    public async Task ErasedCitizen_LeavesNoAliasOrCprAnywhere_AndTheErasureIsAudited()
    {
        using var host = await CreateHostAsync();
        {
            var client = host.CreateClient();
            var admin = host.CreateClientAs(ExitRoles.Admin);
            var citizenId = await CitizenScenario.CreateCitizenAsync(client, Alias, Cpr);
            var (courseId, _) = await CitizenScenario.StartCourseAsync(client, citizenId);
            // A worker writes the alias and CPR number into a meeting note: they reach the task's answers, the workflow's
            // state and its journal too.
            await CitizenScenario.AnswerFirstTaskAsync(client, courseId, $"Mødtes med {Alias} ({Cpr[..6]}-{Cpr[6..]}, {Cpr})");
            // And into a logged contact's note (the contact log keeps every revision: all of them must go).
            var contact = await client.PostAsJsonAsync($"/api/courses/{courseId}/contacts", new
            {
                kind = "Phone", startedAt = DateTimeOffset.UtcNow, durationMinutes = 10, place = "Other", note = $"Ringede til {Alias}",
            });
            Assert.Equal(HttpStatusCode.Created, contact.StatusCode);
            var protectedCpr = (await ScalarAsync($"SELECT \"ProtectedCpr\" FROM \"CtiCitizens\" WHERE \"Id\" = '{citizenId}'"))!;
            Assert.False(string.IsNullOrEmpty(protectedCpr));
            Assert.Equal("1", await ScalarAsync($"SELECT COUNT(*) FROM \"HumanTasks\" WHERE \"DataJson\" LIKE '%{Alias}%'"));

            // A running course is a case the municipality keeps: refused, and nothing is deleted.
            var refused = await admin.PostAsJsonAsync($"/api/admin/citizens/{citizenId}/erase", new { reason = "Anmodning af 1. marts" });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var noReason = await admin.PostAsJsonAsync($"/api/admin/citizens/{citizenId}/erase", new { });
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await CitizenScenario.CloseCourseAsync(client, courseId);
            var erased = await admin.PostAsJsonAsync($"/api/admin/citizens/{citizenId}/erase", new { reason = "Anmodning af 1. marts" });
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            var receipt = (await erased.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(citizenId, (string?)receipt["citizenId"]);
            Assert.Equal(1, (int)receipt["courses"]!);
            Assert.True((int)receipt["removedByModule"]!["cti"]! >= 2 && (int)receipt["removedByModule"]!["tasks"]! >= 1
                        && (int)receipt["removedByModule"]!["workflow"]! >= 1, receipt.ToJsonString());
            Assert.DoesNotContain(Alias, receipt.ToJsonString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/admin/citizens/{citizenId}/data")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);

            // The erasure is in the audit log: who, when, what, by citizen id; the earlier accesses keep who/when/what too.
            var audit = (await admin.GetFromJsonAsync<JsonObject>($"/api/audit?citizenId={citizenId}&pageSize=500"))!;
            var entries = audit["items"]!.AsArray();
            var erasure = Assert.Single(entries, e => (string?)e!["action"] == "Delete" && (string?)e["outcome"] == "Allowed");
            Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Admin), (string?)erasure!["userName"]);
            Assert.Contains("erasure on request", (string?)erasure["purpose"], StringComparison.Ordinal);
            Assert.Contains(entries, e => (string?)e!["action"] == "Read");
            Assert.DoesNotContain(Alias, audit.ToJsonString(), StringComparison.Ordinal);

            // While the service still runs (the SQLite test checkpoints and VACUUMs under it, waiting for its locks).
            var stored = await EverythingStoredAsync();
            Assert.False(Contains(stored, Alias), "the alias is still stored");
            Assert.False(Contains(stored, Cpr), "the CPR number is still stored");
            Assert.False(Contains(stored, $"{Cpr[..6]}-{Cpr[6..]}"), "the formatted CPR number is still stored");
            Assert.False(Contains(stored, protectedCpr), "the encrypted CPR number is still stored");
            Assert.True(Contains(stored, citizenId), "the audit log should still name the citizen id");
        }
    }

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
