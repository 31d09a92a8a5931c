using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Http;
using NodaTime;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>
/// Over the client's own handler (no redirects), sets each answer's <c>Date</c> to the server's time that
/// <paramref name="serverNow"/> gives, or removes it when that is <see langword="null"/>.
/// </summary>
public sealed class ServerDateHandler(Func<Instant?> serverNow) : DelegatingHandler(OwnedHttpClient.CreateHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        response.Headers.Date = serverNow()?.ToDateTimeOffset();
        return response;
    }
}
