using System;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace LicenseClient.Offline;

/// <summary>
/// Saves each successful borrow's receipt to <see cref="LicenseClientOptions.ReceiptStore"/>, with the trusted-time mark
/// its verified answer shows, and deletes it before a release is sent.
/// </summary>
internal sealed class ReceiptKeeper
{
    private readonly IBorrowReceiptStore _store;
    private readonly bool _answersVerified;
    private readonly ILogger _logger;

    private ReceiptKeeper(IBorrowReceiptStore store, bool answersVerified, ILogger logger)
    {
        _store = store;
        _answersVerified = answersVerified;
        _logger = logger;
    }

    /// <summary>The keeper for <paramref name="store"/>, or <see langword="null"/> when there is no store.</summary>
    public static ReceiptKeeper? Create(IBorrowReceiptStore? store, LicenseClientOptions options, ILogger logger)
        => store is null ? null : new ReceiptKeeper(store, options.VerifyResponseSignatures, logger);

    /// <summary>
    /// Saves the receipt of a borrow the server has granted, then, when answers are verified, moves the trusted-time mark
    /// (see <see cref="NewMark"/>). Neither is cancelled: the seat is already granted, so a cancellation now must not look
    /// like "not borrowed". A mark that cannot be read or written is left as it was; the borrow stands.
    /// </summary>
    /// <returns><see langword="null"/> when the receipt was saved (or there is none); otherwise why the store failed.</returns>
    /// <exception cref="OperationCanceledException">The store itself threw it.</exception>
    public async Task<Exception?> TryKeepAsync(BorrowReceipt? receipt, Instant borrowedUntil, Duration maxBorrowTime)
    {
        if (receipt is null)
        {
            return null;
        }

        Exception? failure = null;
        try
        {
            await _store.SaveAsync(receipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
            Log.ReceiptNotSaved(_logger, receipt.Product, Log.FeatureSuffix(receipt.Feature), Telemetry.ErrorTypeOf(ex));
        }

        if (failure is null && _logger.IsEnabled(LogLevel.Information))
        {
            Log.ReceiptSaved(_logger, receipt.Product, Log.FeatureSuffix(receipt.Feature), borrowedUntil.ToString());
        }

        if (_answersVerified)
        {
            try
            {
                Instant? existing = await _store.LoadTrustedTimeAsync(CancellationToken.None).ConfigureAwait(false);
                Instant mark = NewMark(existing, TrustedTime.Anchor(receipt.ServerDate, borrowedUntil, maxBorrowTime), borrowedUntil);
                if (mark != existing)
                {
                    await _store.SaveTrustedTimeAsync(mark, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The borrow stands without it: the next check starts from the old mark and what its receipt proves.
            }
        }

        return failure;
    }

    /// <summary>
    /// The trusted-time mark after a verified borrow whose answer shows <paramref name="anchor"/>: the mark never moves back,
    /// unless it is later than the end of the borrow just granted, which proves it wrong (a clock that was ahead); then the
    /// answer's time replaces it.
    /// </summary>
    internal static Instant NewMark(Instant? existing, Instant anchor, Instant borrowedUntil)
        => existing is not Instant mark || mark > borrowedUntil ? anchor : Instant.Max(mark, anchor);

    /// <summary>Deletes the receipt for <paramref name="product"/> and <paramref name="feature"/>, before a release is sent.</summary>
    /// <exception cref="LicenseApiException">The store failed (<see cref="LicenseErrorCodes.ReceiptNotDeleted"/>); nothing was sent.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was sent.</exception>
    public async Task ForgetAsync(string product, string? feature, LicenseApiOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(product, feature, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new LicenseApiException(
                $"The release was not sent: the stored receipt could not be deleted first ({LicenseErrorCodes.ReceiptNotDeleted}): {ex.Message} The seat is still held; check LicenseClientOptions.ReceiptStore and release again.",
                status: null,
                LicenseErrorCodes.ReceiptNotDeleted,
                serverMessage: null,
                ex,
                operation);
        }
    }
}
