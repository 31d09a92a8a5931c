using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>
/// The operations behind <see cref="ILicenseApiClient"/>, over an HttpClient they do not own: each one hands its
/// operation description and request to the shared pipeline. Not disposable, so a dependency-injection container
/// does not hold on to every instance it creates.
/// </summary>
internal sealed class LicenseApiCalls : ILicenseApiClient
{
    private readonly LicensePipeline _pipeline;
    private readonly LicenseTransport _transport;

    public LicenseApiCalls(HttpClient httpClient, LicensePipeline pipeline)
    {
        _pipeline = pipeline;
        _transport = pipeline.CreateTransport(httpClient);
    }

    public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
        => _pipeline.SendAsync(_transport, FloatingOperations.Borrow, Guard.NotNull(request, nameof(request)), cancellationToken);

    public Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
        => _pipeline.SendAsync(_transport, FloatingOperations.Release, Guard.NotNull(request, nameof(request)), cancellationToken);

    public Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default)
        => _pipeline.SendAsync(_transport, FloatingOperations.BorrowFeature, Guard.NotNull(request, nameof(request)), cancellationToken);

    public Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default)
        => _pipeline.SendAsync(_transport, FloatingOperations.ReleaseFeature, Guard.NotNull(request, nameof(request)), cancellationToken);
}
