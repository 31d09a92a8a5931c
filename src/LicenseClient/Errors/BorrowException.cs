using System;

namespace LicenseClient;

/// <summary>
/// The License API refused a borrow with an error code. Each documented code has a sealed subclass
/// (for example <see cref="FloatingNotAvailableException"/>); a code this version does not know
/// arrives as a plain <see cref="BorrowException"/> that keeps the code in <see cref="LicenseApiException.ErrorCode"/>.
/// </summary>
public class BorrowException : LicenseApiException
{
    /// <summary>Creates a borrow error from the server's answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorCode">The server's <c>code</c>.</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public BorrowException(int? status, string errorCode, string? serverMessage, Exception? innerException = null)
        : base(Describe("Borrow failed", status, errorCode, serverMessage), status, errorCode, serverMessage, innerException)
    {
    }
}
