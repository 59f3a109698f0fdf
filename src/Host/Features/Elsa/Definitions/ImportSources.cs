using System.IO.Compression;
using System.Text;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// Caps on what one import request may unpack (configuration <c>Exit:Import</c>). A definition file is tens of
/// kilobytes; the caps leave room for large exports and stop a zip bomb, counting the bytes actually decompressed
/// (a zip entry's header may claim any size).
/// </summary>
public sealed class ImportLimits
{
    /// <summary>Definition files one request may carry (multipart files plus zip entries).</summary>
    public int MaxFiles { get; set; } = 100;

    /// <summary>Bytes one definition file (a body, a file or an unpacked zip entry) may have.</summary>
    public long MaxFileBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Bytes all files of one request may have together, unpacked.</summary>
    public long MaxTotalBytes { get; set; } = 20 * 1024 * 1024;
}

/// <summary>An import over <see cref="ImportLimits"/> or an unreadable zip: 413 or 400, naming the file.</summary>
public sealed class ImportRefusedException(string fileName, string message, bool tooLarge) : Exception(message)
{
    public string FileName { get; } = fileName;
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// Reads the definition files of an import request: the raw body (JSON), or every multipart file; a .zip file
/// contributes each .json entry (Elsa's multi-definition export is a zip). Every read is capped by
/// <see cref="ImportLimits"/>; nothing is imported when a cap is hit.
/// </summary>
public static class ImportSources
{
    public static async Task<IReadOnlyList<ImportDefinition.SourceFile>> ReadAsync(HttpRequest request, ImportLimits limits, CancellationToken ct)
    {
        var files = new List<ImportDefinition.SourceFile>();
        var budget = new Budget(limits);
        if (!request.HasFormContentType)
        {
            var body = await budget.ReadAsync("body", request.Body, ct);
            if (body.Length > 0) files.Add(new("body", Encoding.UTF8.GetString(body)));
            return files;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new ImportRefusedException("files", $"The upload is not a readable multipart form: {ex.Message}", tooLarge: false);
        }
        foreach (var file in form.Files)
        {
            var name = string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName;
            if (!name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                budget.CountFile(name);
                await using var stream = file.OpenReadStream();
                files.Add(new(name, Encoding.UTF8.GetString(await budget.ReadAsync(name, stream, ct))));
                continue;
            }

            if (file.Length > limits.MaxTotalBytes)
                throw new ImportRefusedException(name, $"{name} is larger than the {limits.MaxTotalBytes} bytes an import may have.", tooLarge: true);
            await using var upload = file.OpenReadStream();
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(upload, ZipArchiveMode.Read);
            }
            catch (InvalidDataException)
            {
                throw new ImportRefusedException(name, $"{name} is not a readable zip file.", tooLarge: false);
            }
            using (zip)
            {
                foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                {
                    var entryName = $"{name}/{entry.FullName}";
                    budget.CountFile(entryName);
                    try
                    {
                        await using var entryStream = entry.Open();
                        files.Add(new(entryName, Encoding.UTF8.GetString(await budget.ReadAsync(entryName, entryStream, ct))));
                    }
                    catch (InvalidDataException)
                    {
                        throw new ImportRefusedException(entryName, $"{entryName} cannot be unpacked.", tooLarge: false);
                    }
                }
            }
        }
        return files;
    }

    /// <summary>Counts files and the bytes actually read, and stops a read the moment a cap is passed.</summary>
    private sealed class Budget(ImportLimits limits)
    {
        private int _files;
        private long _total;

        public void CountFile(string name)
        {
            if (++_files > limits.MaxFiles)
                throw new ImportRefusedException(name, $"An import may carry at most {limits.MaxFiles} definition files.", tooLarge: true);
        }

        public async Task<byte[]> ReadAsync(string name, Stream source, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limits.MaxFileBytes)
                    throw new ImportRefusedException(name, $"{name} is larger than the {limits.MaxFileBytes} bytes a definition file may have.", tooLarge: true);
                _total += read;
                if (_total > limits.MaxTotalBytes)
                    throw new ImportRefusedException(name, $"The import unpacks to more than the {limits.MaxTotalBytes} bytes an import may have.", tooLarge: true);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
