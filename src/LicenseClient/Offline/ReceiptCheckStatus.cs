namespace LicenseClient;

/// <summary>What <see cref="BorrowReceiptChecker"/> concluded about a receipt.</summary>
public enum ReceiptCheckStatus
{
    /// <summary>The receipt is genuine, for this product, device and feature, and valid until <see cref="ReceiptCheck.BorrowedUntil"/>.</summary>
    Valid,

    /// <summary>The receipt is genuine, but its borrow ended at <see cref="ReceiptCheck.BorrowedUntil"/>: borrow again online.</summary>
    Expired,

    /// <summary>
    /// The receipt names another product. The product is not signed: this catches a mistake (a receipt of another product
    /// of yours), not tampering; within one company a receipt can be relabelled.
    /// </summary>
    WrongProduct,

    /// <summary>
    /// The receipt names another hardware id: it was borrowed for another device. The hardware id is not signed: this
    /// catches a mistake (a receipt copied from another machine as it is), not tampering.
    /// </summary>
    WrongHardwareId,

    /// <summary>
    /// The receipt names another feature (or a feature where none was asked for, or none where one was). The feature is not
    /// signed: this catches a mistake, not tampering.
    /// </summary>
    WrongFeature,

    /// <summary>The receipt's body does not match its signature (it was changed), it has no signature, or it was signed by another key.</summary>
    SignatureInvalid,

    /// <summary>
    /// The computer's clock is earlier than a time already shown to have passed (the trusted-time mark) by more than the
    /// tolerance: it was wound back, or is wrong. The receipt is not honoured until the clock is right again.
    /// </summary>
    ClockWoundBack,

    /// <summary>
    /// The receipt is genuine, but its signed <c>company.id</c> is not the company the checker expects (see
    /// <see cref="BorrowReceiptChecker.CompanyId"/>), or the body has none: the License API signs every company's answers
    /// with the same key, so this is what tells a borrow of another company's license apart.
    /// </summary>
    WrongCompany,

    /// <summary>No receipt is stored for that product and feature: borrow online first.</summary>
    NoReceipt,

    /// <summary>A receipt is stored but cannot be read (see <see cref="ReceiptCheck.Load"/>); it was left in place.</summary>
    ReceiptUnreadable,
}
