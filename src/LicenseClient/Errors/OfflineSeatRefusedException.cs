using System;

namespace LicenseClient;

/// <summary>
/// <see cref="FloatingSeat.AcquireAsync"/> could not reach the License API, and the stored receipt gives no offline seat:
/// there is none, it has ended, it is for something else, or the computer's clock was wound back. <see cref="Check"/> says which.
/// </summary>
/// <remarks>
/// <see cref="LicenseApiException.Status"/> and <see cref="LicenseApiException.ErrorCode"/> are those of the failure that
/// kept the API out of reach (such as <see cref="LicenseErrorCodes.ConnectionFailed"/>), which is also the inner exception.
/// </remarks>
public sealed class OfflineSeatRefusedException : LicenseApiException
{
    /// <summary>Creates the exception from the failure that kept the API out of reach and the receipt's check.</summary>
    /// <param name="unreachable">Why the License API could not be reached.</param>
    /// <param name="check">What the stored receipt's check found.</param>
    /// <exception cref="ArgumentNullException"><paramref name="unreachable"/> or <paramref name="check"/> is null.</exception>
    public OfflineSeatRefusedException(LicenseApiException unreachable, ReceiptCheck check)
        : base(
            Describe(unreachable, check),
            unreachable.Status,
            unreachable.ErrorCode,
            unreachable.ServerMessage,
            unreachable,
            unreachable.Operation)
    {
        Check = check;
    }

    /// <summary>What the stored receipt's check found; its <see cref="ReceiptCheck.Message"/> says what to do.</summary>
    public ReceiptCheck Check { get; }

    private static string Describe(LicenseApiException unreachable, ReceiptCheck check)
        => $"The License API could not be reached ({(unreachable ?? throw new ArgumentNullException(nameof(unreachable))).ErrorCode}), and the stored receipt gives no offline seat ({(check ?? throw new ArgumentNullException(nameof(check))).Status}): {check.Message}";
}
