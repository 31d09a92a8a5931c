using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Offline;

namespace LicenseClient;

/// <summary>
/// The operations behind <see cref="ILicenseApiClient"/>, over an HttpClient they do not own: each one hands its
/// operation description and request to the shared pipeline, then keeps or deletes the receipt when a store is set.
/// Not disposable, so a dependency-injection container does not hold on to every instance it creates.
/// </summary>
internal sealed class LicenseApiCalls : ILicenseApiClient
{
    private readonly LicensePipeline _pipeline;
    private readonly LicenseTransport _transport;
    private readonly ReceiptKeeper? _receipts;

    public LicenseApiCalls(HttpClient httpClient, LicensePipeline pipeline, ReceiptKeeper? receipts = null)
    {
        _pipeline = pipeline;
        _transport = pipeline.CreateTransport(httpClient);
        _receipts = receipts;
    }

    public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
    {
        Task<BorrowedLicense> call = _pipeline.SendAsync(_transport, FloatingOperations.Borrow, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : KeepAsync(_receipts, call, cancellationToken);

        static async Task<BorrowedLicense> KeepAsync(ReceiptKeeper receipts, Task<BorrowedLicense> call, CancellationToken cancellationToken)
        {
            BorrowedLicense borrowed = await call.ConfigureAwait(false);
            await receipts.KeepAsync(borrowed.Receipt, borrowed.BorrowedUntil, borrowed.MaxBorrowTime, LicenseApiOperation.Borrow, cancellationToken).ConfigureAwait(false);
            return borrowed;
        }
    }

    public Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        Task call = _pipeline.SendAsync(_transport, FloatingOperations.Release, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : ForgetAsync(_receipts, call, request.Product, feature: null, LicenseApiOperation.Release, cancellationToken);
    }

    public Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default)
    {
        Task<BorrowedFeature> call = _pipeline.SendAsync(_transport, FloatingOperations.BorrowFeature, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : KeepAsync(_receipts, call, cancellationToken);

        static async Task<BorrowedFeature> KeepAsync(ReceiptKeeper receipts, Task<BorrowedFeature> call, CancellationToken cancellationToken)
        {
            BorrowedFeature borrowed = await call.ConfigureAwait(false);
            await receipts.KeepAsync(borrowed.Receipt, borrowed.BorrowedUntil, borrowed.MaxBorrowTime, LicenseApiOperation.BorrowFeature, cancellationToken).ConfigureAwait(false);
            return borrowed;
        }
    }

    public Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default)
    {
        Task call = _pipeline.SendAsync(_transport, FloatingOperations.ReleaseFeature, Guard.NotNull(request, nameof(request)), cancellationToken);
        return _receipts is null ? call : ForgetAsync(_receipts, call, request.Product, request.Feature, LicenseApiOperation.ReleaseFeature, cancellationToken);
    }

    private static async Task ForgetAsync(ReceiptKeeper receipts, Task call, string product, string? feature, LicenseApiOperation operation, CancellationToken cancellationToken)
    {
        await call.ConfigureAwait(false);
        await receipts.ForgetAsync(product, feature, operation, cancellationToken).ConfigureAwait(false);
    }
}
