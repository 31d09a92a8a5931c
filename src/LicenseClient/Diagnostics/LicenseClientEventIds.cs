namespace LicenseClient;

/// <summary>
/// The event ids of the client's log messages (category <see cref="LicenseClientDiagnostics.LoggerCategory"/>). They
/// stay the same from release to release, so log queries and filters can rely on them.
/// </summary>
public static class LicenseClientEventIds
{
    /// <summary>Warning: an attempt failed and will be retried; with the operation, attempt, status, error code and delay.</summary>
    public const int AttemptRetried = 1;

    /// <summary>Error: a call failed; with the operation, its error code and how many attempts it made.</summary>
    public const int CallFailed = 2;

    /// <summary>Warning: the License API's clock differs from this computer's; with the offset requests are now dated by.</summary>
    public const int ClockSkewLearned = 3;

    /// <summary>Warning: a request was refused for its <c>Date</c> and is sent again at once, dated on the License API's clock.</summary>
    public const int ClockCorrected = 4;

    /// <summary>Debug: an OAuth access token was obtained; with its lifetime, never the token.</summary>
    public const int TokenObtained = 5;

    /// <summary>Debug: an OAuth access token was renewed, because it was about to expire or the License API refused it.</summary>
    public const int TokenRenewed = 6;

    /// <summary>Error: a success arrived without the <c>LicenseSignature</c> header it must carry, and was not believed.</summary>
    public const int SignatureMissing = 7;

    /// <summary>Error: a success arrived with a <c>LicenseSignature</c> that does not verify, and was not believed.</summary>
    public const int SignatureInvalid = 8;

    /// <summary>Debug: a call starts; with the operation, the product and the hardware id (personal data, so debug only).</summary>
    public const int CallStarting = 9;

    /// <summary>Information: a borrow's receipt was saved in the receipt store.</summary>
    public const int ReceiptSaved = 20;

    /// <summary>Error: a borrow's receipt could not be saved; the borrow stands.</summary>
    public const int ReceiptNotSaved = 21;

    /// <summary>Information: a seat started offline from its stored receipt.</summary>
    public const int ReceiptLoaded = 22;

    /// <summary>Warning: the API was out of reach and the stored receipt gives no offline seat; with the reason.</summary>
    public const int ReceiptRefused = 23;

    /// <summary>Information: a seat is held, borrowed from the License API.</summary>
    public const int SeatHeld = 30;

    /// <summary>Information: no seat is free, and the seat waits; with the attempt and the wait.</summary>
    public const int SeatWaiting = 31;

    /// <summary>Information: a held seat was borrowed again before its end.</summary>
    public const int SeatRenewed = 32;

    /// <summary>Warning: a held seat could not be renewed this time, and will be tried again; with the error code and the wait.</summary>
    public const int SeatRenewalFailed = 33;

    /// <summary>Error: the License API refused to renew a seat, which is lost; with the error code.</summary>
    public const int SeatLost = 34;

    /// <summary>Error: a seat reached its end without being renewed.</summary>
    public const int SeatExpired = 35;

    /// <summary>Information: a seat was released.</summary>
    public const int SeatReleased = 36;

    /// <summary>Warning: a seat's release did not reach the License API and was journalled, to be sent at the next start.</summary>
    public const int ReleaseJournalled = 37;

    /// <summary>Information: a journalled release was sent.</summary>
    public const int JournalledReleaseSent = 38;
}
