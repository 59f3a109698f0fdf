using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Definitions;

public enum FolderImportStatus { Imported, Unchanged, Failed }

/// <summary>The outcome for one file of a definitions folder.</summary>
/// <param name="FileName">The file name, without the folder.</param>
/// <param name="Status">Imported (a new published version), Unchanged, or Failed.</param>
/// <param name="DefinitionId">The definition the file holds, when it could be read.</param>
/// <param name="Version">The published version number after an import, or the unchanged latest one.</param>
/// <param name="Problems">Validation problems when the file failed validation.</param>
/// <param name="Error">Why the file failed, in one sentence.</param>
public sealed record FolderImportResult(
    string FileName,
    FolderImportStatus Status,
    string? DefinitionId,
    int? Version,
    IReadOnlyList<DefinitionProblem> Problems,
    string? Error)
{
    public override string ToString() => Status switch
    {
        FolderImportStatus.Imported => $"{FileName}: imported v{Version}",
        FolderImportStatus.Unchanged => $"{FileName}: unchanged (v{Version})",
        _ => $"{FileName}: failed: {Error}",
    };
}

/// <summary>
/// Imports every <c>*.json</c> file of a folder (not its sub-folders) through
/// <see cref="DefinitionPublisher.ImportAsync"/>, in file-name order, as Elsa's "Workflows" folder provider
/// does at start-up. One bad file never stops the others: it is reported as Failed and logged.
/// </summary>
public sealed partial class DefinitionFolderImporter
{
    private readonly DefinitionPublisher _publisher;
    private readonly ILogger<DefinitionFolderImporter> _logger;

    public DefinitionFolderImporter(DefinitionPublisher publisher, ILogger<DefinitionFolderImporter> logger)
    {
        _publisher = publisher;
        _logger = logger;
    }

    /// <summary>Elsa's default: a <c>Workflows</c> folder beside the application's assemblies.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "Workflows");

    /// <summary>Imports the folder's files; a missing folder imports nothing.</summary>
    public async Task<IReadOnlyList<FolderImportResult>> ImportAsync(string folder, CancellationToken ct = default)
    {
        if (!Directory.Exists(folder))
        {
            LogFolderMissing(folder);
            return [];
        }

        var results = new List<FolderImportResult>();
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        foreach (var path in files)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(await ImportFileAsync(path, ct));
        }
        LogFolderDone(folder, files.Count,
            results.Count(r => r.Status == FolderImportStatus.Imported),
            results.Count(r => r.Status == FolderImportStatus.Unchanged),
            results.Count(r => r.Status == FolderImportStatus.Failed));
        return results;
    }

    private async Task<FolderImportResult> ImportFileAsync(string path, CancellationToken ct)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            var json = await File.ReadAllTextAsync(path, ct);
            var result = await _publisher.ImportAsync(json, ct);
            var version = result.Version;
            if (result.Status == DefinitionImportStatus.Unchanged)
            {
                LogUnchanged(fileName, version.DefinitionId, version.Version);
                return new FolderImportResult(fileName, FolderImportStatus.Unchanged, version.DefinitionId, version.Version, [], null);
            }
            LogImported(fileName, version.DefinitionId, version.Version);
            return new FolderImportResult(fileName, FolderImportStatus.Imported, version.DefinitionId, version.Version, [], null);
        }
        catch (DefinitionValidationException ex)
        {
            var first = ex.Problems.Count > 0 ? ex.Problems[0].Message : ex.Message;
            LogInvalid(fileName, ex.DefinitionId, ex.Problems.Count, first);
            return new FolderImportResult(fileName, FolderImportStatus.Failed, ex.DefinitionId, null, ex.Problems,
                $"{ex.Problems.Count} validation problem{(ex.Problems.Count == 1 ? "" : "s")}: {first}");
        }
        catch (DefinitionFormatException ex)
        {
            LogUnreadable(fileName, ex.Message);
            return new FolderImportResult(fileName, FolderImportStatus.Failed, null, null, [], ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, fileName);
            return new FolderImportResult(fileName, FolderImportStatus.Failed, null, null, [], $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow definition folder {Folder} does not exist; nothing imported")]
    private partial void LogFolderMissing(string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported workflow definition file {FileName}: {DefinitionId} v{Version} published")]
    private partial void LogImported(string fileName, string definitionId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow definition file {FileName} is unchanged: {DefinitionId} v{Version}")]
    private partial void LogUnchanged(string fileName, string definitionId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow definition file {FileName} ({DefinitionId}) was not imported: {ProblemCount} problem(s), first: {FirstProblem}")]
    private partial void LogInvalid(string fileName, string? definitionId, int problemCount, string firstProblem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow definition file {FileName} was not imported: {Reason}")]
    private partial void LogUnreadable(string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow definition file {FileName} could not be imported")]
    private partial void LogFailed(Exception exception, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow definition folder {Folder}: {FileCount} file(s), {Imported} imported, {Unchanged} unchanged, {Failed} failed")]
    private partial void LogFolderDone(string folder, int fileCount, int imported, int unchanged, int failed);
}
