using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient;

/// <summary>
/// The License API's floating-license operations. Register the implementation with
/// <c>services.AddLicenseClient(…)</c>, or create a <see cref="LicenseApiClient"/>.
/// </summary>
/// <remarks>
/// This interface is for consuming the client and for mocking it in tests; it is not meant to be
/// implemented by other libraries, and new operations will be added to it.
/// </remarks>
public interface ILicenseApiClient
{
    /// <summary>
    /// Borrows a floating license seat for a device (<c>POST api/v4/floating/borrow</c>), so the
    /// application may run offline until <see cref="BorrowedLicense.BorrowedUntil"/>. Borrowing again
    /// with the same license and hardware id extends that device's borrow; it never takes a second seat.
    /// </summary>
    /// <param name="request">What to borrow, for which device, with which credential.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The borrowed seat.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="BorrowException">The License API refused the borrow; the subclass names the reason.</exception>
    /// <exception cref="ResponseSignatureException">The answer's <c>LicenseSignature</c> is missing or does not match.</exception>
    /// <exception cref="LicenseAuthorizationException">The License API did not accept the request's authorization.</exception>
    /// <exception cref="ReceiptNotSavedException">
    /// The seat was granted, but <see cref="LicenseClientOptions.ReceiptStore"/> could not save its receipt; the exception
    /// carries the granted result and the receipt to save again.
    /// </exception>
    /// <exception cref="LicenseApiException">No answer arrived, or the answer could not be understood.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a device's floating seat back (<c>POST api/v4/floating/release</c>), so another device can borrow it:
    /// call it when the application closes, the user signs out, or the seat moves to another machine. Retrying a
    /// release is safe: once the seat is free, releasing it again is refused with <see cref="DeviceNotFoundException"/>
    /// (<c>device_not_found</c>), which means the seat is already back.
    /// </summary>
    /// <param name="request">Which seat to release: product, hardware id, and the license's key or user (no password).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the License API has released the seat.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="BorrowException">The License API refused the release; the subclass names the reason.</exception>
    /// <exception cref="LicenseAuthorizationException">The License API did not accept the request's authorization.</exception>
    /// <exception cref="LicenseApiException">
    /// No answer arrived, or the answer could not be understood; or (<see cref="LicenseErrorCodes.ReceiptNotDeleted"/>) the
    /// stored receipt could not be deleted from <see cref="LicenseClientOptions.ReceiptStore"/>, so nothing was sent.
    /// </exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Borrows a seat of a floating feature for a device (<c>POST api/v4/floating/feature_borrow</c>), so the
    /// feature may be used offline until <see cref="BorrowedFeature.BorrowedUntil"/>. Borrowing the same feature
    /// again for the same hardware id extends that device's borrow; it never takes a second seat.
    /// </summary>
    /// <param name="request">Which feature to borrow, for which device, with which credential.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The borrowed feature seat.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="BorrowException">
    /// The License API refused the borrow; the subclass names the reason, such as <see cref="UnknownFeatureException"/>,
    /// <see cref="FeatureNotFloatingException"/> or <see cref="FloatingNotAvailableException"/>.
    /// </exception>
    /// <exception cref="ResponseSignatureException">The answer's <c>LicenseSignature</c> is missing or does not match.</exception>
    /// <exception cref="LicenseAuthorizationException">The License API did not accept the request's authorization.</exception>
    /// <exception cref="ReceiptNotSavedException">
    /// The feature seat was granted, but <see cref="LicenseClientOptions.ReceiptStore"/> could not save its receipt; the
    /// exception carries the granted result and the receipt to save again.
    /// </exception>
    /// <exception cref="LicenseApiException">No answer arrived, or the answer could not be understood.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a device's floating feature seat back (<c>POST api/v4/floating/feature_release</c>). Retrying it is
    /// safe: once the seat is free, releasing it again is refused with <see cref="FeatureNotInUseException"/>
    /// (<c>floating_feature_device_not_in_use</c>), which means the seat is already back.
    /// </summary>
    /// <param name="request">Which feature seat to release: product, feature, hardware id, and the license's key or user (no password).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the License API has released the feature seat.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="BorrowException">The License API refused the release; the subclass names the reason.</exception>
    /// <exception cref="LicenseAuthorizationException">The License API did not accept the request's authorization.</exception>
    /// <exception cref="LicenseApiException">
    /// No answer arrived, or the answer could not be understood; or (<see cref="LicenseErrorCodes.ReceiptNotDeleted"/>) the
    /// stored receipt could not be deleted from <see cref="LicenseClientOptions.ReceiptStore"/>, so nothing was sent.
    /// </exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default);
}
