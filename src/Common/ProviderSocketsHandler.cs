// Compiled into Providers (ProviderHttp's shared client) and Providers.Extensions.DependencyInjection (the named
// clients of AddProviders) through <Compile Include Link>: both must send requests the same way.
using System.Net;
using System.Net.Http;

namespace Providers.Common;

/// <summary>The primary handler of every client a provider sends through.</summary>
internal static class ProviderSocketsHandler
{
    /// <summary>
    /// Pooled connections recycled every 5 minutes (DNS changes) and dropped after 1 idle minute, several HTTP/2
    /// connections when one is saturated, compressed responses, a 30 s connect timeout, no automatic redirects, and the system proxy
    /// (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, <c>NO_PROXY</c>).
    /// </summary>
    public static SocketsHttpHandler Create() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        EnableMultipleHttp2Connections = true,
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        // Credentials never follow a redirect: .NET strips only Authorization, so x-api-key, api-key and custom
        // headers would reach any host a server points to, and 301/302 would turn the POST into a GET. A 3xx is
        // reported as an error that names the new location instead (docs/security.md).
        AllowAutoRedirect = false,
        UseProxy = true,
    };
}
