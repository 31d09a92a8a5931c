using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Offline;
using LicenseClient.Seats;

namespace LicenseClient;

/// <summary>
/// The client for the License API's floating licenses. Create it once and reuse it: it is immutable
/// and safe to use from many threads at once.
/// </summary>
/// <remarks>
/// Every failure is reported as a <see cref="LicenseApiException"/> (or a subclass); the caller's
/// cancellation surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class LicenseApiClient : ILicenseApiClient, IDisposable
{
    private readonly LicenseApiCalls _calls;
    private readonly HttpClient? _ownedHttp;
    private readonly LicensePipeline _pipeline;
    private int _disposed;

    /// <summary>
    /// Creates a client with an HttpClient of its own (over one connection pool shared by every such
    /// client), disposed with the client.
    /// </summary>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No credentials are set, only half of an API key pair, or the retry delays are inconsistent.</exception>
    public LicenseApiClient(LicenseClientOptions options)
    {
        _pipeline = LicensePipeline.Create(Guard.NotNull(options, nameof(options)));
        _ownedHttp = OwnedHttpClient.Create();
        _calls = new LicenseApiCalls(_ownedHttp, _pipeline, ReceiptKeeper.Create(options.ReceiptStore, options, _pipeline.Logger), SeatDefaults.From(options, options.ReceiptStore, _pipeline));
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="httpClient"/>, such as one from
    /// <c>IHttpClientFactory</c>. The client never disposes it, and ignores its <c>BaseAddress</c>:
    /// <see cref="LicenseClientOptions.BaseAddress"/> decides where requests go, and
    /// <see cref="LicenseClientOptions.Timeout"/> and <see cref="LicenseClientOptions.AttemptTimeout"/> how
    /// long they may take (on top of the HttpClient's own <c>Timeout</c>).
    /// </summary>
    /// <param name="httpClient">The HttpClient to send through.</param>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No credentials are set, only half of an API key pair, or the retry delays are inconsistent.</exception>
    public LicenseApiClient(HttpClient httpClient, LicenseClientOptions options)
    {
        Guard.NotNull(httpClient, nameof(httpClient));
        _pipeline = LicensePipeline.Create(Guard.NotNull(options, nameof(options)));
        _calls = new LicenseApiCalls(httpClient, _pipeline, ReceiptKeeper.Create(options.ReceiptStore, options, _pipeline.Logger), SeatDefaults.From(options, options.ReceiptStore, _pipeline));
    }

    /// <inheritdoc />
    public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
        => Calls.BorrowAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
        => Calls.ReleaseAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default)
        => Calls.BorrowFeatureAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default)
        => Calls.ReleaseFeatureAsync(request, cancellationToken);

    /// <summary>What a <see cref="FloatingSeat"/> over this client uses when its options leave it unset.</summary>
    internal SeatDefaults? SeatDefaults => _calls.SeatDefaults;

    /// <summary>The calls, once the client is known not to be disposed.</summary>
    private LicenseApiCalls Calls => Volatile.Read(ref _disposed) == 0 ? _calls : throw new ObjectDisposedException(nameof(LicenseApiClient));

    /// <summary>
    /// Disposes the HttpClient this client created, and the OAuth signer it built from the options; a
    /// caller's HttpClient or signer is left alone.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ownedHttp?.Dispose();
            _pipeline.Dispose();
        }
    }
}
