using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Exit.Host.Infrastructure.WebSecurity;

/// <summary>
/// <c>Exit:Network</c>: the reverse proxies (TLS terminators) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. Behind such a proxy the request's scheme becomes https (so the sign-in
/// cookie is Secure and HSTS is sent) and the client address is the caller's (audit log, rate limits).
/// Forwarded headers from any other address are ignored: a caller cannot pick its own IP.
/// </summary>
public sealed class NetworkOptions
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>. Loopback is always trusted (a proxy on the same machine).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row are stripped from X-Forwarded-For.</summary>
    public int ForwardLimit { get; set; } = 1;
}

public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddExitForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var network = configuration.GetSection("Exit:Network").Get<NetworkOptions>() ?? new NetworkOptions();
        var proxies = network.KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var ip)
            ? ip
            : throw new InvalidOperationException($"Exit:Network:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = network.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var net)
            ? net
            : throw new InvalidOperationException($"Exit:Network:KnownNetworks: '{n}' is not a network in CIDR form (10.0.0.0/24).")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = network.ForwardLimit;
            // The defaults (loopback) stay; configured proxies are added.
            foreach (var ip in proxies) o.KnownProxies.Add(ip);
            foreach (var net in networks) o.KnownIPNetworks.Add(net);
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false; // the municipality's other hosts are not ours to pin
        });
        return services;
    }
}
