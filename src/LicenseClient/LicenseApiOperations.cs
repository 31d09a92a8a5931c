using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>
/// The operations behind <see cref="ILicenseApiClient"/>, over an HttpClient they do not own. Not
/// disposable, so a dependency-injection container does not hold on to every instance it creates.
/// </summary>
internal sealed class LicenseApiOperations : ILicenseApiClient
{
    private readonly LicensePipeline _pipeline;
    private readonly LicenseTransport _transport;
    private readonly Uri _borrowUri;

    public LicenseApiOperations(HttpClient httpClient, LicensePipeline pipeline)
    {
        _pipeline = pipeline;
        _transport = pipeline.CreateTransport(httpClient);
        _borrowUri = new Uri(pipeline.BaseAddress, BorrowProtocol.Path);
    }

    public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request, nameof(request));

        byte[] body = BorrowProtocol.CreateBody(request);
        return _pipeline.SendAsync(_transport, _borrowUri, body, BorrowProtocol.ReadAnswer, cancellationToken);
    }
}
