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
    /// <exception cref="LicenseAuthorizationException">The License API did not accept the request's authorization.</exception>
    /// <exception cref="LicenseApiException">No answer arrived, or the answer could not be understood.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default);
}
