using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Exit.Host.Studio;

/// <summary>
/// Serves the files of the Studio npm bundle. A request for <c>x.wasm</c> from a browser that accepts br (or gzip)
/// is answered with the pre-compressed sibling <c>x.wasm.br</c> (<c>x.wasm.gz</c>) that ships in the package,
/// with <c>Content-Encoding</c>, the original file's content type and <c>Vary: Accept-Encoding</c>.
/// </summary>
internal sealed class StudioBundle
{
    private static readonly (string Coding, string Suffix)[] PreCompressed = [("br", ".br"), ("gzip", ".gz")];

    private readonly PhysicalFileProvider _files;
    private readonly FileExtensionContentTypeProvider _contentTypes = CreateContentTypes();

    public StudioBundle(string directory)
    {
        Directory = directory;
        _files = new PhysicalFileProvider(directory);
    }

    public string Directory { get; }

    /// <summary>The folder that looks like the bundle (has <c>_framework/blazor.webassembly.js</c>), or null.</summary>
    public static string? Locate(StudioOptions options, string contentRoot)
    {
        string[] candidates = options.BundleDirectory is { } configured
            ? [configured]
            : [
                System.IO.Path.Combine(AppContext.BaseDirectory, "studio"),
                System.IO.Path.Combine(contentRoot, "studio-package", "node_modules", "@elsa-workflows", "elsa-studio-wasm"),
            ];
        return candidates.FirstOrDefault(dir => File.Exists(System.IO.Path.Combine(dir, "_framework", "blazor.webassembly.js")));
    }

    /// <summary>A result serving <paramref name="relativePath"/>, or null when there is no such servable file.</summary>
    public IResult? TryServe(HttpContext context, string relativePath)
    {
        if (!_contentTypes.TryGetContentType(relativePath, out var contentType))
        {
            return null; // unknown types (including the raw .br/.gz siblings) are not served
        }

        var file = _files.GetFileInfo(relativePath);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return null;
        }

        var chosen = file;
        string? coding = null;
        var variesByEncoding = false;
        var accepted = AcceptedCodings(context.Request.Headers.AcceptEncoding);
        foreach (var (candidateCoding, suffix) in PreCompressed)
        {
            var sibling = _files.GetFileInfo(relativePath + suffix);
            if (!sibling.Exists || sibling.PhysicalPath is null)
            {
                continue;
            }

            variesByEncoding = true;
            if (coding is null && accepted.Contains(candidateCoding))
            {
                chosen = sibling;
                coding = candidateCoding;
            }
        }

        var headers = context.Response.Headers;
        if (variesByEncoding)
        {
            headers.Vary = HeaderNames.AcceptEncoding;
        }

        if (coding is not null)
        {
            headers.ContentEncoding = coding;
        }

        // File names are not all fingerprinted (blazor.webassembly.js, dotnet.js), so let browsers revalidate.
        headers.CacheControl = "no-cache";
        var etag = new EntityTagHeaderValue(
            "\"" + chosen.Length.ToString("x", CultureInfo.InvariantCulture) + "-" +
            chosen.LastModified.UtcTicks.ToString("x", CultureInfo.InvariantCulture) + "\"");
        return TypedResults.PhysicalFile(chosen.PhysicalPath!, contentType, lastModified: chosen.LastModified, entityTag: etag);
    }

    private static HashSet<string> AcceptedCodings(StringValues acceptEncoding)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var values))
        {
            return accepted;
        }

        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var wildcard = false;
        foreach (var value in values)
        {
            var coding = value.Value.ToString();
            var allowed = value.Quality is not 0;
            if (coding == "*")
            {
                wildcard = allowed;
            }
            else if (allowed)
            {
                accepted.Add(coding);
            }
            else
            {
                refused.Add(coding);
            }
        }

        if (wildcard)
        {
            foreach (var (coding, _) in PreCompressed)
            {
                if (!refused.Contains(coding))
                {
                    accepted.Add(coding);
                }
            }
        }

        return accepted;
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        var map = provider.Mappings;
        map[".wasm"] = "application/wasm";
        map[".js"] = "text/javascript";
        map[".mjs"] = "text/javascript";
        map[".json"] = "application/json";
        map[".map"] = "application/json";
        map[".css"] = "text/css";
        map[".dat"] = "application/octet-stream"; // ICU data (icudt*.dat)
        map[".blat"] = "application/octet-stream";
        map[".dll"] = "application/octet-stream";
        map[".webcil"] = "application/octet-stream";
        map[".pdb"] = "application/octet-stream";
        map[".woff2"] = "font/woff2";
        map[".webmanifest"] = "application/manifest+json";
        map[".cur"] = "image/x-icon";
        map[".scss"] = "text/x-scss";
        map.Remove(".br");
        map.Remove(".gz");
        map.Remove(".html"); // the shipped index.html registers a tag that does not exist; our host page replaces it
        return provider;
    }
}
