using System.Net;
using System.Text.RegularExpressions;
using Exit.Host.Studio;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Browser;

/// <summary>HTTP-level checks of how /studio serves the npm bundle and the host page (no browser needed).</summary>
/// <summary>One real host (temp SQLite file) for the class.</summary>
public sealed class StudioHostFixture : IDisposable
{
    public ExitHostFactory Host { get; } = new();
    public void Dispose() => Host.Dispose();
}

public sealed partial class StudioBundleTests(StudioHostFixture fixture) : IClassFixture<StudioHostFixture>
{
    private readonly ExitHostFactory factory = fixture.Host;

    [Fact]
    public async Task GetHostPage_Anonymous_RedirectsToSignIn()
    {
        using var response = await factory.CreateClientAs(null).GetAsync("/studio/workflows/definitions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
        Assert.Contains("returnUrl=%2Fstudio%2Fworkflows%2Fdefinitions", response.Headers.Location?.Query);
    }

    [Theory]
    [InlineData("worker", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("coordinator", HttpStatusCode.OK)]
    public async Task GetHostPage_ByRole_OnlyCoordinatorsAndManagers(string role, HttpStatusCode expected)
    {
        using var response = await factory.CreateClientAs(role).GetAsync("/studio/");

        // Pages answer a refusal by redirecting to the access-denied page.
        var status = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.AbsolutePath == "/account/access-denied"
            ? HttpStatusCode.Forbidden : response.StatusCode;
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task GetWasm_WithoutAcceptEncoding_ServesApplicationWasmUncompressed()
    {
        var client = CreateClient();
        var name = SomeWasmFile();

        using var response = await client.GetAsync("/studio/_framework/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("\0asm"u8.ToArray(), bytes[..4]);
    }

    [Theory]
    [InlineData("br", "br", ".br")]
    [InlineData("gzip, deflate, br", "br", ".br")]
    [InlineData("gzip", "gzip", ".gz")]
    [InlineData("br;q=0, gzip", "gzip", ".gz")]
    public async Task GetWasm_WhenTheBrowserAcceptsACoding_ServesThePrecompressedSibling(string acceptEncoding, string coding, string suffix)
    {
        var client = CreateClient();
        var name = SomeWasmFile();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/studio/_framework/" + name);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var sibling = Path.Combine(BundleDirectory(), "_framework", name + suffix);
        Assert.Equal(new FileInfo(sibling).Length, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("_framework/blazor.webassembly.js", "text/javascript")]
    [InlineData("Elsa.Studio.Host.CustomElements.styles.css", "text/css")]
    [InlineData("appsettings.json", "application/json")]
    public async Task GetBundleFile_ServesItsContentType(string path, string contentType)
    {
        using var response = await CreateClient().GetAsync("/studio/" + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetIcuData_ServesOctetStream()
    {
        var name = Path.GetFileName(Directory.GetFiles(Path.Combine(BundleDirectory(), "_framework"), "icudt*.dat").First());

        using var response = await CreateClient().GetAsync("/studio/_framework/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/studio/_framework/does-not-exist.wasm")]
    [InlineData("/studio/index.html")] // the shipped page registers a tag that does not exist
    [InlineData("/studio/_framework/blazor.webassembly.js.br")] // siblings only via Accept-Encoding
    [InlineData("/studio/appsettings.Production.json")]
    public async Task GetMissingOrHiddenFile_Answers404(string path)
    {
        using var response = await CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetStudioWithoutSlash_RedirectsToTheBasePathKeepingTheQuery()
    {
        using var response = await CreateClient().GetAsync("/studio?view=instances");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/studio/?view=instances", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/studio/", "<elsa-workflow-definition-list>")]
    [InlineData("/studio/workflows/definitions", "<elsa-workflow-definition-list>")]
    [InlineData("/studio/workflows/definitions/wf%201/edit", "<elsa-workflow-definition-editor definition-id=\"wf 1\">")]
    [InlineData("/studio/workflows/instances", "<elsa-workflow-instance-list>")]
    [InlineData("/studio/workflows/instances/inst1/view", "<elsa-workflow-instance-viewer instance-id=\"inst1\">")] // where "Run" navigates
    public async Task GetHostPage_RendersBaseHrefBackendProviderFirstThenTheView(string path, string element)
    {
        using var response = await CreateClient().GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("<base href=\"/studio/\">", html, StringComparison.Ordinal);
        var provider = ProviderTag().Match(html);
        Assert.True(provider.Success, html);
        Assert.Equal("http://localhost/elsa/api", provider.Groups["endpoint"].Value);
        Assert.DoesNotContain("access-token", provider.Value, StringComparison.Ordinal); // no provider → no attribute
        var view = html.IndexOf(element, StringComparison.Ordinal);
        Assert.True(view > provider.Index, $"expected {element} after the backend provider in {html}");
        Assert.Equal(1, Regex.Count(html, "<elsa-workflow-"));
        Assert.Contains("<script src=\"_framework/blazor.webassembly.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"exit-studio.js\"></script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/studio/?view=editor&id=wf%201", "/studio/workflows/definitions/wf%201/edit")]
    [InlineData("/studio/?view=instance&id=inst1", "/studio/workflows/instances/inst1/view")]
    [InlineData("/studio/?view=instances", "/studio/workflows/instances")]
    public async Task GetHostPage_ShortQueryForm_RedirectsToThePath(string path, string location)
    {
        using var response = await CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GetUnknownStudioPath_Answers404()
    {
        using var response = await CreateClient().GetAsync("/studio/workflows/unknown");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetHostPage_WithAnAccessTokenProvider_RendersTheEncodedToken()
    {
        using var configured = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.Configure<StudioOptions>(options => options.AccessTokenProvider = context => "t\"<&" + context.Request.Query["u"])));

        var client = configured.CreateClient();
        TestApiKeys.Authorize(client, "coordinator");
        var html = await client.GetStringAsync("/studio/?u=42");

        Assert.Contains("access-token=\"t&quot;&lt;&amp;42\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetScript_ServesTheNavigationScript()
    {
        using var response = await CreateClient().GetAsync("/studio/exit-studio.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("editWorkflowDefinition", script, StringComparison.Ordinal);
    }

    private HttpClient CreateClient() => factory.CreateClientAs("coordinator");

    private string BundleDirectory()
    {
        var directory = StudioBundle.Locate(new StudioOptions(), factory.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
        Assert.NotNull(directory);
        return directory;
    }

    private string SomeWasmFile()
    {
        var wasm = Directory.GetFiles(Path.Combine(BundleDirectory(), "_framework"), "Elsa.Api.Client.*.wasm").Single();
        Assert.True(File.Exists(wasm + ".br"), "the package ships .br siblings");
        return Path.GetFileName(wasm);
    }

    [GeneratedRegex("<elsa-backend-provider remote-endpoint=\"(?<endpoint>[^\"]*)\"[^>]*>")]
    private static partial Regex ProviderTag();
}
