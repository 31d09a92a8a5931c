using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Offline;
using LicenseClient.Security;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Checks a <see cref="BorrowReceipt"/> with no network: is it genuine (the client's own <c>LicenseSignature</c>
/// check, on the same raw bytes), for this product, device and feature, not expired, and is the computer's clock
/// not wound back? Create it once and reuse it; it is safe to use from many threads at once.
/// </summary>
/// <remarks>
/// <para>
/// <b>What is signed.</b> Only the answer body: <c>borrowed_until</c>, <c>max_borrow_time</c>, <c>license_id</c>,
/// <c>device_id</c> and <c>company.id</c> (on <see cref="ReceiptCheck"/> as <see cref="ReceiptCheck.BorrowedUntil"/>,
/// <see cref="ReceiptCheck.LicenseId"/>, <see cref="ReceiptCheck.DeviceId"/> and <see cref="ReceiptCheck.CompanyId"/>). The
/// License API signs every company's answers with the same key, so a genuine receipt of another company's license verifies
/// too: pass your company's id to the constructor (strongly recommended), and a receipt of another company is
/// <see cref="ReceiptCheckStatus.WrongCompany"/>. The product, hardware id and feature in a receipt are not signed:
/// <see cref="ReceiptCheckStatus.WrongProduct"/>, <see cref="ReceiptCheckStatus.WrongHardwareId"/> and
/// <see cref="ReceiptCheckStatus.WrongFeature"/> catch mistakes (a receipt of another product, or copied from another
/// machine as it is), not tampering: within one company, a receipt can be relabelled with any product, hardware id or
/// feature.
/// </para>
/// <para>
/// <b>The trusted-time mark.</b> The checker compares the clock with the latest time already shown to have passed: the
/// server's time from verified answers (bounded by the signed body, see below) and the local clock at every check that
/// found a receipt valid. If the clock is earlier than that mark by more than <see cref="ClockTolerance"/>, the result is
/// <see cref="ReceiptCheckStatus.ClockWoundBack"/>, and the receipt is not honoured until the clock is right again.
/// Offline, the mark only moves forward. An online borrow moves it forward to that answer's time and never back, with one
/// exception: a mark later than the end of the borrow just granted is provably wrong (the server has just granted a borrow
/// that ends before it), so the borrow resets the mark to the answer's time. That is how a user whose clock was wrong, and
/// is now fixed, gets going again: borrow (renew) once online.
/// </para>
/// <para>
/// <b>How far one answer moves the mark.</b> The <c>Date</c> header is not signed, so a proxy can change it or leave it
/// out. The signed body bounds when the server answered: no later than <c>borrowed_until</c>, no earlier than
/// <c>borrowed_until − max_borrow_time</c>. The <c>Date</c> is taken only within those bounds (without one, the lower
/// bound stands). A forged <c>Date</c> can therefore at most push the mark to the receipt's own end, and a missing or early
/// one never lowers it: it can refuse, never grant.
/// </para>
/// <para>
/// <b>What this does not stop.</b> A genuine receipt proves that the License API granted license
/// <see cref="ReceiptCheck.LicenseId"/> of company <see cref="ReceiptCheck.CompanyId"/> to the device with server id
/// <see cref="ReceiptCheck.DeviceId"/> until <c>borrowed_until</c>. It does not prove that this machine is that device, nor
/// which product or feature was borrowed: a receipt file can be copied to another machine and relabelled. Pin what you can:
/// your company id (constructor), and the license id your application expects (compare <see cref="ReceiptCheck.LicenseId"/>
/// with the one your borrows return). Pass this machine's own hardware id, computed fresh, to every check, and do not read it
/// from the receipt; an application that needs a real machine binding adds its own (keep the receipt under Windows DPAPI with
/// the machine scope, or keep its own keyed hash of the hardware id). The mark lives in a file the user can delete: it stops
/// a clock wound back by mistake or on a whim, not a user determined to delete files and wind the clock back before the
/// borrow.
/// </para>
/// </remarks>
public sealed class BorrowReceiptChecker
{
    private readonly ResponseSignatureVerifier _verifier;
    private readonly IClock _clock;

    /// <summary>Creates a checker.</summary>
    /// <param name="serverPublicKey">
    /// The public key (PEM) that verifies receipts; <see langword="null"/> (the default) means the License API's production
    /// key, as for the client. Pass the emulator's <c>PublicKeyPem</c> for its receipts.
    /// </param>
    /// <param name="clock">The clock; defaults to <see cref="SystemClock.Instance"/>.</param>
    /// <param name="clockTolerance">How far the clock may be behind the trusted-time mark and still be believed; defaults to <see cref="DefaultClockTolerance"/> (5 minutes).</param>
    /// <param name="companyId">
    /// Your LicenseSpring company's id (<see cref="BorrowedLicense.CompanyId"/> of any borrow shows it). Strongly recommended:
    /// the License API signs every company's answers with the same key, so without it a genuine receipt of another company's
    /// license checks valid. When set, a receipt whose signed <c>company.id</c> differs, or is missing, is
    /// <see cref="ReceiptCheckStatus.WrongCompany"/>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="serverPublicKey"/> is not an RSA public key in PEM form.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clockTolerance"/> is negative or longer than a day.</exception>
    public BorrowReceiptChecker(string? serverPublicKey = null, IClock? clock = null, Duration? clockTolerance = null, long? companyId = null)
    {
        Duration tolerance = clockTolerance ?? DefaultClockTolerance;
        if (tolerance < Duration.Zero || tolerance > Duration.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(clockTolerance), tolerance, "The clock tolerance must be between zero and one day.");
        }

        try
        {
            _verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(serverPublicKey ?? ProductionKey.Pem));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new ArgumentException("The server public key is not an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----).", nameof(serverPublicKey), ex);
        }

        _clock = clock ?? SystemClock.Instance;
        ClockTolerance = tolerance;
        CompanyId = companyId;
    }

    /// <summary>The default <see cref="ClockTolerance"/>: 5 minutes.</summary>
    public static Duration DefaultClockTolerance { get; } = Duration.FromMinutes(5);

    /// <summary>How far the clock may be behind the trusted-time mark and still be believed.</summary>
    public Duration ClockTolerance { get; }

    /// <summary>
    /// The company whose receipts this checker accepts (the signed <c>company.id</c>), or <see langword="null"/> when any
    /// company's genuine receipt is accepted; see the constructor.
    /// </summary>
    public long? CompanyId { get; }

    /// <summary>
    /// Checks <paramref name="receipt"/> against this machine's <paramref name="product"/>, <paramref name="hardwareId"/> and
    /// <paramref name="feature"/> at the clock's current time, with no I/O. Every fact it relies on (when the borrow ends,
    /// what time has passed) comes from the signed body.
    /// </summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="product">This application's product code.</param>
    /// <param name="hardwareId">This machine's hardware id, computed now (never read from the receipt).</param>
    /// <param name="feature">The feature to check, or <see langword="null"/> for the license's own receipt.</param>
    /// <param name="trustedTime">The trusted-time mark so far (see <see cref="IBorrowReceiptStore.LoadTrustedTimeAsync"/>), or <see langword="null"/> for none.</param>
    /// <returns>The conclusion; its <see cref="ReceiptCheck.TrustedTime"/> is the mark to keep.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receipt"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="hardwareId"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    public ReceiptCheck Check(BorrowReceipt receipt, string product, string hardwareId, string? feature = null, Instant? trustedTime = null)
    {
        Guard.NotNull(receipt, nameof(receipt));
        Guard.NotBlank(product, nameof(product));
        Guard.NotBlank(hardwareId, nameof(hardwareId));
        Guard.NullOrNotBlank(feature, nameof(feature));
        Instant now = _clock.GetCurrentInstant();

        var answer = new LicenseAnswer(200, "application/json", receipt.Body.ToArray(), receipt.ServerDate, signature: receipt.Signature);
        BorrowResponseBody body;
        try
        {
            _verifier.Verify(answer);
            body = AnswerReader.ReadBorrow(answer);
        }
        catch (ResponseSignatureException)
        {
            return new ReceiptCheck(ReceiptCheckStatus.SignatureInvalid, now, null, trustedTime, "The receipt's signature does not match its body: it was changed, or it was not issued by this License API.");
        }
        catch (LicenseApiException)
        {
            return new ReceiptCheck(ReceiptCheckStatus.SignatureInvalid, now, null, trustedTime, "The receipt is signed, but its body is not a borrow answer.");
        }

        if (body.BorrowedUntil is not Instant borrowedUntil || body.MaxBorrowTime is not Duration maxBorrowTime)
        {
            return new ReceiptCheck(ReceiptCheckStatus.SignatureInvalid, now, null, trustedTime, "The receipt is signed, but its body lacks borrowed_until or max_borrow_time.");
        }

        long? companyId = body.Company?.Id;
        ReceiptCheck Signed(ReceiptCheckStatus status, Instant? markAfter, string message)
            => new(status, now, borrowedUntil, markAfter, message) { LicenseId = body.LicenseId, DeviceId = body.DeviceId, CompanyId = companyId };

        if (CompanyId is long expected && companyId != expected)
        {
            // Another company's answer says nothing about this application's time: the mark is left as it was.
            return Signed(ReceiptCheckStatus.WrongCompany, trustedTime, "The receipt is genuine, but for a license of another LicenseSpring company.");
        }

        Instant mark = TrustedTime.Later(trustedTime, TrustedTime.Anchor(receipt.ServerDate, borrowedUntil, maxBorrowTime))!.Value;
        if (!string.Equals(receipt.Product, product, StringComparison.Ordinal))
        {
            return Signed(ReceiptCheckStatus.WrongProduct, mark, "The receipt is for another product.");
        }

        if (!string.Equals(receipt.HardwareId, hardwareId, StringComparison.Ordinal))
        {
            return Signed(ReceiptCheckStatus.WrongHardwareId, mark, "The receipt was borrowed for another device.");
        }

        if (!string.Equals(receipt.Feature, feature, StringComparison.Ordinal))
        {
            return Signed(ReceiptCheckStatus.WrongFeature, mark, "The receipt is for another feature.");
        }

        if (now < mark - ClockTolerance)
        {
            return Signed(
                ReceiptCheckStatus.ClockWoundBack,
                mark,
                string.Format(CultureInfo.InvariantCulture, "The computer's clock is behind a time already reached ({0}): set the clock right, or connect to the internet and borrow again.", InstantJsonConverter.Format(mark)));
        }

        if (now >= borrowedUntil)
        {
            return Signed(
                ReceiptCheckStatus.Expired,
                mark,
                string.Format(CultureInfo.InvariantCulture, "The borrow ended at {0}: connect to the internet and borrow again.", InstantJsonConverter.Format(borrowedUntil)));
        }

        return Signed(
            ReceiptCheckStatus.Valid,
            Instant.Max(mark, now),
            string.Format(CultureInfo.InvariantCulture, "Valid offline until {0}.", InstantJsonConverter.Format(borrowedUntil)));
    }

    /// <summary>
    /// Loads the receipt stored for <paramref name="product"/> and <paramref name="feature"/> and the trusted-time mark from
    /// <paramref name="store"/>, checks the receipt (see <see cref="Check"/>), and stores the mark when it moved. No network.
    /// </summary>
    /// <param name="store">Where the receipt and the mark are kept.</param>
    /// <param name="product">This application's product code.</param>
    /// <param name="hardwareId">This machine's hardware id, computed now (never read from the receipt).</param>
    /// <param name="feature">The feature to check, or <see langword="null"/> for the license's own receipt.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>
    /// The conclusion; <see cref="ReceiptCheckStatus.NoReceipt"/> or <see cref="ReceiptCheckStatus.ReceiptUnreadable"/> when the
    /// store has no readable receipt. A mark that cannot be written leaves the result as it is: the next check sees the old mark.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="hardwareId"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ReceiptCheck> CheckStoredAsync(IBorrowReceiptStore store, string product, string hardwareId, string? feature = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(store, nameof(store));
        Guard.NotBlank(product, nameof(product));
        Guard.NotBlank(hardwareId, nameof(hardwareId));
        Guard.NullOrNotBlank(feature, nameof(feature));

        ReceiptLoadResult load = await store.LoadAsync(product, feature, cancellationToken).ConfigureAwait(false);
        Instant? mark = await store.LoadTrustedTimeAsync(cancellationToken).ConfigureAwait(false);
        if (load.Receipt is null)
        {
            return load.Status == ReceiptLoadStatus.NotFound
                ? new ReceiptCheck(ReceiptCheckStatus.NoReceipt, _clock.GetCurrentInstant(), null, mark, "No borrow is stored on this computer: connect to the internet and borrow.", load)
                : new ReceiptCheck(ReceiptCheckStatus.ReceiptUnreadable, _clock.GetCurrentInstant(), null, mark, $"The stored borrow cannot be read ({load.Status}): connect to the internet and borrow again. {load.Message}", load);
        }

        ReceiptCheck check = Check(load.Receipt, product, hardwareId, feature, mark);
        if (check.TrustedTime is Instant moved && (mark is null || moved > mark.Value))
        {
            try
            {
                await store.SaveTrustedTimeAsync(moved, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The conclusion stands; the next check starts from the old mark and what its receipt proves.
            }
        }

        return check.WithLoad(load);
    }
}
