using System.IO.Compression;
using System.Text;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// Reads the definition files of an import request: the raw body (JSON), or every multipart file; a .zip file
/// contributes each .json entry (Elsa's multi-definition export is a zip).
/// </summary>
public static class ImportSources
{
    public static async Task<IReadOnlyList<ImportDefinition.SourceFile>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var files = new List<ImportDefinition.SourceFile>();
        if (!request.HasFormContentType)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            if (text.Length > 0) files.Add(new("body", text));
            return files;
        }

        var form = await request.ReadFormAsync(ct);
        foreach (var file in form.Files)
        {
            await using var stream = file.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            var name = string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName;
            if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                buffer.Position = 0;
                await using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
                foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                {
                    await using var entryStream = await entry.OpenAsync(ct);
                    using var entryReader = new StreamReader(entryStream, Encoding.UTF8);
                    files.Add(new($"{name}/{entry.FullName}", await entryReader.ReadToEndAsync(ct)));
                }
            }
            else
            {
                files.Add(new(name, Encoding.UTF8.GetString(buffer.ToArray())));
            }
        }
        return files;
    }
}
