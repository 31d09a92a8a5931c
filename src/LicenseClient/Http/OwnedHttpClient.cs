using System;
using System.Net;
using System.Net.Http;

namespace LicenseClient.Http;

/// <summary>
/// The HttpClient a <see cref="LicenseApiClient"/> creates for itself when the caller gives none.
/// Every such client shares one handler (one connection pool), so creating many clients never
/// exhausts sockets; on .NET 8 and later pooled connections are renewed so DNS changes are seen.
/// </summary>
internal static class OwnedHttpClient
{
    private static readonly Lazy<HttpMessageHandler> SharedHandler = new(CreateHandler);

    /// <summary>
    /// A new client over the shared handler; disposing it leaves the handler alone. It has no timeout of
    /// its own: the client's <see cref="LicenseClientOptions.AttemptTimeout"/> and
    /// <see cref="LicenseClientOptions.Timeout"/> decide.
    /// </summary>
    public static HttpClient Create() => new(SharedHandler.Value, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>
    /// A handler that never follows redirects (a redirected POST would turn into a GET and lose its body
    /// and signature) and accepts compressed answers.
    /// </summary>
    public static HttpMessageHandler CreateHandler()
    {
#if NET
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,
        };
#else
        return new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
        };
#endif
    }
}
