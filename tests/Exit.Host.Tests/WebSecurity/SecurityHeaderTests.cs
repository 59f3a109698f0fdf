using System.Net;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.WebSecurity;

/// <summary>Security headers, HSTS under HTTPS, forwarded headers from known proxies only, AllowedHosts.</summary>
public sealed class SecurityHeaderTests : IDisposable
{
    private readonly ExitHostFactory _host = new(configure: b =>
    {
        b.UseSetting("Exit:Network:KnownProxies:0", "10.0.0.5");
        b.UseSetting("AllowedHosts", "localhost;exit.example");
    });

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/css/exit.css")]
    [InlineData("/health")]
    public async Task EveryAnswer_CarriesCspNosniffFrameAndReferrerPolicies(string path)
    {
        var response = await _host.CreateClientAs(null).GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", csp.Replace("'wasm-unsafe-eval'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task Hsts_IsSentOverHttps()
    {
        var client = _host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://exit.example/") });

        var response = await client.GetAsync("/account/login");

        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedHeaders_FromAKnownProxy_GiveTheClientsAddressAndHttps_FromAnyoneElseAreIgnored()
    {
        var viaProxy = await ExportAuditFromAsync("10.0.0.5");
        var notAProxy = await ExportAuditFromAsync("10.0.0.6");

        Assert.Equal("203.0.113.7", viaProxy.Ip);
        Assert.True(viaProxy.Hsts, "behind the TLS proxy the request counts as HTTPS");
        Assert.Equal("10.0.0.6", notAProxy.Ip);
        Assert.False(notAProxy.Hsts);
    }

    [Fact]
    public async Task AllowedHosts_RefusesOtherHostNames()
    {
        var evil = _host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example/") });
        var ours = _host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://exit.example/") });

        Assert.Equal(HttpStatusCode.BadRequest, (await evil.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ours.GetAsync("/health")).StatusCode);
    }

    /// <summary>An audited request (the audit export) from <paramref name="peer"/> claiming to forward 203.0.113.7 over https.</summary>
    private async Task<(string? Ip, bool Hsts)> ExportAuditFromAsync(string peer)
    {
        var marker = Guid.NewGuid().ToString("N");
        var context = await _host.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            c.Request.Method = "GET";
            c.Request.Host = new HostString("exit.example");
            c.Request.Path = "/api/audit/export";
            c.Request.QueryString = new QueryString("?action=Read&citizenId=" + marker);
            c.Request.Headers.Authorization = "ApiKey " + TestApiKeys.KeyFor(ExitRoles.Admin);
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
        });
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditAction.Export && a.CitizenId == marker);
        return (entry.Ip, context.Response.Headers.ContainsKey("Strict-Transport-Security"));
    }
}
