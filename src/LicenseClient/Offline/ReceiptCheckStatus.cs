namespace LicenseClient;

/// <summary>What <see cref="BorrowReceiptChecker"/> concluded about a receipt.</summary>
public enum ReceiptCheckStatus
{
    /// <summary>The receipt is genuine, for this product, device and feature, and valid until <see cref="ReceiptCheck.BorrowedUntil"/>.</summary>
    Valid,

    /// <summary>The receipt is genuine, but its borrow ended at <see cref="ReceiptCheck.BorrowedUntil"/>: borrow again online.</summary>
    Expired,

    /// <summary>The receipt names another product.</summary>
    WrongProduct,

    /// <summary>The receipt names another hardware id: it was borrowed for another device.</summary>
    WrongHardwareId,

    /// <summary>The receipt names another feature (or a feature where none was asked for, or none where one was).</summary>
    WrongFeature,

    /// <summary>The receipt's body does not match its signature (it was changed), it has no signature, or it was signed by another key.</summary>
    SignatureInvalid,

    /// <summary>
    /// The computer's clock is earlier than a time already shown to have passed (the trusted-time mark) by more than the
    /// tolerance: it was wound back, or is wrong. The receipt is not honoured until the clock is right again.
    /// </summary>
    ClockWoundBack,

    /// <summary>No receipt is stored for that product and feature: borrow online first.</summary>
    NoReceipt,

    /// <summary>A receipt is stored but cannot be read (see <see cref="ReceiptCheck.Load"/>); it was left in place.</summary>
    ReceiptUnreadable,
}
