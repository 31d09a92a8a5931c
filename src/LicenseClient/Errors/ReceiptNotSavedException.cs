using System;
using System.Globalization;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// The License API granted the borrow (or feature borrow), but its receipt could not be saved to
/// <see cref="LicenseClientOptions.ReceiptStore"/> (<see cref="LicenseErrorCodes.ReceiptNotSaved"/>); the inner exception
/// says why. The seat is held: the granted result is <see cref="BorrowedLicense"/> or <see cref="BorrowedFeature"/>, so
/// the application keeps working online, and it can save <see cref="Receipt"/> again later
/// (<c>store.SaveAsync(ex.Receipt)</c>) with no server call. Only the offline use after a restart is at risk until then.
/// </summary>
public sealed class ReceiptNotSavedException : LicenseApiException
{
    /// <summary>Creates the error for a license borrow whose receipt could not be saved.</summary>
    /// <param name="borrowed">What the License API granted; its <see cref="LicenseClient.BorrowedLicense.Receipt"/> is the receipt that was not saved.</param>
    /// <param name="innerException">Why the store failed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="borrowed"/> or <paramref name="innerException"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="borrowed"/> has no receipt.</exception>
    public ReceiptNotSavedException(BorrowedLicense borrowed, Exception innerException)
        : base(Describe("borrow", (borrowed ?? throw new ArgumentNullException(nameof(borrowed))).BorrowedUntil, innerException), 200, LicenseErrorCodes.ReceiptNotSaved, serverMessage: null, innerException, LicenseApiOperation.Borrow)
    {
        BorrowedLicense = borrowed;
        Receipt = borrowed.Receipt ?? throw new ArgumentException("The result has no receipt.", nameof(borrowed));
    }

    /// <summary>Creates the error for a feature borrow whose receipt could not be saved.</summary>
    /// <param name="borrowed">What the License API granted; its <see cref="LicenseClient.BorrowedFeature.Receipt"/> is the receipt that was not saved.</param>
    /// <param name="innerException">Why the store failed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="borrowed"/> or <paramref name="innerException"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="borrowed"/> has no receipt.</exception>
    public ReceiptNotSavedException(BorrowedFeature borrowed, Exception innerException)
        : base(Describe("feature borrow", (borrowed ?? throw new ArgumentNullException(nameof(borrowed))).BorrowedUntil, innerException), 200, LicenseErrorCodes.ReceiptNotSaved, serverMessage: null, innerException, LicenseApiOperation.BorrowFeature)
    {
        BorrowedFeature = borrowed;
        Receipt = borrowed.Receipt ?? throw new ArgumentException("The result has no receipt.", nameof(borrowed));
    }

    /// <summary>What the License API granted for a license borrow; <see langword="null"/> for a feature borrow.</summary>
    public BorrowedLicense? BorrowedLicense { get; }

    /// <summary>What the License API granted for a feature borrow; <see langword="null"/> for a license borrow.</summary>
    public BorrowedFeature? BorrowedFeature { get; }

    /// <summary>The receipt that was not saved: save it again with <see cref="IBorrowReceiptStore.SaveAsync"/>, no server call needed.</summary>
    public BorrowReceipt Receipt { get; }

    private static string Describe(string what, NodaTime.Instant borrowedUntil, Exception innerException)
        => string.Format(
            CultureInfo.InvariantCulture,
            "The License API granted the {0} until {1}, but its receipt could not be saved ({2}): {3} The seat is held; save the exception's Receipt again once LicenseClientOptions.ReceiptStore works.",
            what,
            InstantJsonConverter.Format(borrowedUntil),
            LicenseErrorCodes.ReceiptNotSaved,
            (innerException ?? throw new ArgumentNullException(nameof(innerException))).Message);
}
