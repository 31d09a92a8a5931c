using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient.Offline;

/// <summary>
/// Saves each successful borrow's receipt to <see cref="LicenseClientOptions.ReceiptStore"/>, with the trusted-time mark
/// its verified answer shows, and deletes it on release.
/// </summary>
internal sealed class ReceiptKeeper
{
    private readonly IBorrowReceiptStore _store;
    private readonly bool _answersVerified;

    private ReceiptKeeper(IBorrowReceiptStore store, bool answersVerified)
    {
        _store = store;
        _answersVerified = answersVerified;
    }

    /// <summary>The keeper for <paramref name="store"/>, or <see langword="null"/> when there is no store.</summary>
    public static ReceiptKeeper? Create(IBorrowReceiptStore? store, LicenseClientOptions options)
        => store is null ? null : new ReceiptKeeper(store, options.VerifyResponseSignatures);

    /// <summary>
    /// Saves the receipt, then, when answers are verified, sets the trusted-time mark to what the answer shows: the
    /// server vouches for the time now, so a mark left too far ahead by a wrong clock is corrected.
    /// </summary>
    /// <exception cref="LicenseApiException">The store failed (<see cref="LicenseErrorCodes.ReceiptNotSaved"/>).</exception>
    public async Task KeepAsync(BorrowReceipt? receipt, Instant borrowedUntil, Duration maxBorrowTime, LicenseApiOperation operation, CancellationToken cancellationToken)
    {
        if (receipt is null)
        {
            return;
        }

        try
        {
            await _store.SaveAsync(receipt, cancellationToken).ConfigureAwait(false);
            if (_answersVerified)
            {
                await _store.SaveTrustedTimeAsync(TrustedTime.Anchor(receipt.ServerDate, borrowedUntil, maxBorrowTime), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed("The License API granted the borrow, but its receipt could not be saved", operation, ex);
        }
    }

    /// <summary>Deletes the receipt for <paramref name="product"/> and <paramref name="feature"/>.</summary>
    /// <exception cref="LicenseApiException">The store failed (<see cref="LicenseErrorCodes.ReceiptNotSaved"/>).</exception>
    public async Task ForgetAsync(string product, string? feature, LicenseApiOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(product, feature, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed("The License API released the seat, but its stored receipt could not be deleted", operation, ex);
        }
    }

    private static LicenseApiException Failed(string what, LicenseApiOperation operation, Exception cause)
        => new(
            $"{what} ({LicenseErrorCodes.ReceiptNotSaved}): {cause.Message} Check LicenseClientOptions.ReceiptStore.",
            status: 200,
            LicenseErrorCodes.ReceiptNotSaved,
            serverMessage: null,
            cause,
            operation);
}
