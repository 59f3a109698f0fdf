using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Definitions;
using Exit.Host.Tests.Elsa;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>Issue 14 item 7: an import is capped in files and unpacked bytes; a zip bomb is stopped while it unpacks.</summary>
public sealed class ZipImportLimitTests
{
    private const string ImportFiles = "/elsa/api/workflow-definitions/import-files";

    private static string Definition(string id) => $$"""
        { "definitionId": "{{id}}", "name": "{{id}}", "root": { "id": "Flowchart1", "type": "Elsa.Flowchart", "activities": [], "connections": [] } }
        """;

    private static MultipartFormDataContent Upload(string fileName, Action<ZipArchive> fill)
    {
        var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true)) fill(zip);
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return new MultipartFormDataContent { { content, "files", fileName } };
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
        writer.Write(text);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<int> DefinitionCountAsync(ElsaApiHost host) =>
        (await host.Definitions.ListAsync(new DefinitionFilter(), CancellationToken.None)).TotalCount;

    [Fact]
    public async Task ZipBomb_OneEntryUnpackingPastTheFileCap_Is413AndNothingIsImported()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var limits = host.Services.GetRequiredService<ImportLimits>();
        // 64 MB of the same byte compresses to a few tens of kilobytes.
        var upload = Upload("bomb.zip", zip =>
        {
            Add(zip, "good.json", Definition("good-one"));
            using var entry = zip.CreateEntry("bomb.json", CompressionLevel.SmallestSize).Open();
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)' ');
            for (var i = 0; i < 64; i++) entry.Write(block);
        });
        Assert.True(upload.Headers.ContentLength is null or < 1024 * 1024);

        var problem = await ProblemAsync(await host.Client.PostAsync(ImportFiles, upload), HttpStatusCode.RequestEntityTooLarge);

        Assert.NotNull(problem["errors"]!["bomb.zip/bomb.json"]);
        Assert.Contains(limits.MaxFileBytes.ToString(), (string)problem["detail"]!);
        Assert.Equal(0, await DefinitionCountAsync(host));
    }

    [Fact]
    public async Task ManySmallEntries_PastTheTotalCap_Is413()
    {
        await using var host = await ElsaApiHost.StartAsync(s => s.AddSingleton(new ImportLimits { MaxTotalBytes = 200_000 }));
        var upload = Upload("many.zip", zip =>
        {
            for (var i = 0; i < 20; i++) Add(zip, $"d{i}.json", Definition($"d{i}") + new string(' ', 20_000));
        });

        var problem = await ProblemAsync(await host.Client.PostAsync(ImportFiles, upload), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("200000", (string)problem["detail"]!);
        Assert.Equal(0, await DefinitionCountAsync(host));
    }

    [Fact]
    public async Task TooManyEntries_Is413NamingTheCap()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var limits = host.Services.GetRequiredService<ImportLimits>();
        var upload = Upload("entries.zip", zip =>
        {
            for (var i = 0; i <= limits.MaxFiles; i++) Add(zip, $"d{i}.json", Definition($"d{i}"));
        });

        var problem = await ProblemAsync(await host.Client.PostAsync(ImportFiles, upload), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains($"at most {limits.MaxFiles}", (string)problem["detail"]!);
        Assert.Equal(0, await DefinitionCountAsync(host));
    }

    [Fact]
    public async Task NotAZip_Is400_AndAZipWithinTheCapsImports()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var junk = new ByteArrayContent(Encoding.UTF8.GetBytes("this is not a zip file"));
        var problem = await ProblemAsync(await host.Client.PostAsync(ImportFiles, new MultipartFormDataContent { { junk, "files", "junk.zip" } }), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["junk.zip"]);

        var ok = await host.Client.PostAsync(ImportFiles, Upload("two.zip", zip =>
        {
            Add(zip, "a.json", Definition("zip-a"));
            Add(zip, "b.json", Definition("zip-b"));
        }));
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
        Assert.Equal(2, await DefinitionCountAsync(host));
    }

    [Fact]
    public async Task RawBodyOverTheFileCap_Is413()
    {
        await using var host = await ElsaApiHost.StartAsync(s => s.AddSingleton(new ImportLimits { MaxFileBytes = 10_000 }));
        var body = new StringContent(Definition("big") + new string(' ', 20_000), Encoding.UTF8, "application/json");

        await ProblemAsync(await host.Client.PostAsync("/elsa/api/workflow-definitions/import", body), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await DefinitionCountAsync(host));
    }
}
