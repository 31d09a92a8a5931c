using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Offline;
using LicenseClient.Seats;

namespace LicenseClient;

/// <summary>
/// The operations behind <see cref="ILicenseApiClient"/>, over an HttpClient they do not own: each one hands its
/// operation description and request to the shared pipeline; when a store is set, a borrow then keeps its receipt,
/// and a release deletes it first.
/// Not disposable, so a dependency-injection container does not hold on to every instance it creates.
/// </summary>
internal sealed class LicenseApiCalls : ILicenseApiClient
{
    private readonly LicensePipeline _pipeline;
    private readonly LicenseTransport _transport;
    private readonly ReceiptKeeper? _receipts;

    public LicenseApiCalls(HttpClient httpClient, LicensePipeline pipeline, ReceiptKeeper? receipts = null, SeatDefaults? seatDefaults = null)
    {
        SeatDefaults = seatDefaults;
        _pipeline = pipeline;
        _transport = pipeline.CreateTransport(httpClient);
        _receipts = receipts;
    }

    /// <summary>What a <see cref="FloatingSeat"/> over this client uses when its options leave it unset.</summary>
    public SeatDefaults? SeatDefaults { get; }

    public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
    {
        Task<BorrowedLicense> call = _pipeline.SendAsync(_transport, FloatingOperations.Borrow, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : KeepAsync(_receipts, call);

        static async Task<BorrowedLicense> KeepAsync(ReceiptKeeper receipts, Task<BorrowedLicense> call)
        {
            BorrowedLicense borrowed = await call.ConfigureAwait(false);
            Exception? failure = await receipts.TryKeepAsync(borrowed.Receipt, borrowed.BorrowedUntil, borrowed.MaxBorrowTime).ConfigureAwait(false);
            return failure is null ? borrowed : throw new ReceiptNotSavedException(borrowed, failure);
        }
    }

    public Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request, nameof(request));
        return _receipts is null
            ? _pipeline.SendAsync(_transport, FloatingOperations.Release, request, cancellationToken)
            : ForgetThenReleaseAsync(this, _receipts, request, cancellationToken);

        static async Task ForgetThenReleaseAsync(LicenseApiCalls calls, ReceiptKeeper receipts, ReleaseRequest request, CancellationToken cancellationToken)
        {
            await receipts.ForgetAsync(request.Product, feature: null, LicenseApiOperation.Release, cancellationToken).ConfigureAwait(false);
            await calls._pipeline.SendAsync(calls._transport, FloatingOperations.Release, request, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default)
    {
        Task<BorrowedFeature> call = _pipeline.SendAsync(_transport, FloatingOperations.BorrowFeature, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : KeepAsync(_receipts, call);

        static async Task<BorrowedFeature> KeepAsync(ReceiptKeeper receipts, Task<BorrowedFeature> call)
        {
            BorrowedFeature borrowed = await call.ConfigureAwait(false);
            Exception? failure = await receipts.TryKeepAsync(borrowed.Receipt, borrowed.BorrowedUntil, borrowed.MaxBorrowTime).ConfigureAwait(false);
            return failure is null ? borrowed : throw new ReceiptNotSavedException(borrowed, failure);
        }
    }

    public Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request, nameof(request));
        return _receipts is null
            ? _pipeline.SendAsync(_transport, FloatingOperations.ReleaseFeature, request, cancellationToken)
            : ForgetThenReleaseAsync(this, _receipts, request, cancellationToken);

        static async Task ForgetThenReleaseAsync(LicenseApiCalls calls, ReceiptKeeper receipts, FeatureReleaseRequest request, CancellationToken cancellationToken)
        {
            await receipts.ForgetAsync(request.Product, request.Feature, LicenseApiOperation.ReleaseFeature, cancellationToken).ConfigureAwait(false);
            await calls._pipeline.SendAsync(calls._transport, FloatingOperations.ReleaseFeature, request, cancellationToken).ConfigureAwait(false);
        }
    }
}
