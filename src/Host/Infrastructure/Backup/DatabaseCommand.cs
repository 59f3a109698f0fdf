using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Backup;

/// <summary>
/// <c>dotnet run --project src/Host -- backup --to FILE</c> and <c>… -- restore --from FILE</c>: run against the
/// configured database (the same settings as the service) and exit. Backup works while the service runs; restore
/// refuses while it runs. PostgreSQL is backed up with its own tools (README: pg_dump/pg_restore).
/// </summary>
public static class DatabaseCommand
{
    public const string Backup = "backup";
    public const string Restore = "restore";

    public sealed record Arguments(string Verb, string File);

    /// <summary>Splits the command's own arguments from those the host builder should see.</summary>
    public static bool TryTake(string[] args, out Arguments? command, out string[] hostArgs, out string? error)
    {
        command = null;
        error = null;
        hostArgs = args;
        if (args.Length == 0 || args[0] is not (Backup or Restore)) return false;

        var verb = args[0];
        var option = verb == Backup ? "--to" : "--from";
        string? file = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == option && i + 1 < args.Length) file = args[++i];
            else rest.Add(args[i]);
        }

        hostArgs = [.. rest];
        if (string.IsNullOrWhiteSpace(file)) error = $"{verb}: {option} FILE is required.";
        command = new Arguments(verb, file ?? "");
        return true;
    }

    /// <returns>The process exit code: 0 done, 1 refused or failed (the reason is printed), 2 not possible for this provider.</returns>
    public static async Task<int> RunAsync(Arguments command, DatabaseOptions database, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(output);
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            await output.WriteLineAsync($"{command.Verb} works on the SQLite file only. For PostgreSQL use pg_dump / pg_restore (README, Operations); " +
                                        "for SQL Server its own BACKUP DATABASE / RESTORE DATABASE.");
            return 2;
        }

        var file = Path.GetFullPath(command.File);
        try
        {
            if (command.Verb == Backup)
            {
                var result = await SqliteBackup.BackupAsync(database.ConnectionString, file, ct);
                await output.WriteLineAsync(
                    $"Backup written to {file}: {result.Bytes:N0} bytes in {result.Elapsed.TotalSeconds:0.00} s, integrity checked.");
            }
            else
            {
                var result = await SqliteBackup.RestoreAsync(database.ConnectionString, file, ct);
                await output.WriteLineAsync($"Restored {file} to {result.Database}. The replaced database was kept as {result.Previous ?? "(there was none)"}.");
            }
            return 0;
        }
        catch (BackupRefusedException e)
        {
            await output.WriteLineAsync($"{command.Verb} refused: {e.Message}");
            return 1;
        }
    }
}

/// <summary>A backup or restore that was not done, and why (nothing was changed).</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
