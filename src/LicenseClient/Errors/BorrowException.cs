using System;

namespace LicenseClient;

/// <summary>
/// The License API refused a floating-license operation (a borrow, a release, a feature borrow or a feature
/// release) with an error code; <see cref="LicenseApiException.Operation"/> says which. Each documented code
/// has one sealed subclass, whatever the operation (for example <see cref="FloatingNotAvailableException"/>,
/// or <see cref="LicenseNotFoundException"/> from a borrow and from a release alike); a code this version
/// does not know arrives as a plain <see cref="BorrowException"/> that keeps the code in
/// <see cref="LicenseApiException.ErrorCode"/>.
/// </summary>
public class BorrowException : LicenseApiException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorCode">The server's <c>code</c>.</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused; it starts the message (<c>Release failed: …</c>).</param>
    public BorrowException(int? status, string errorCode, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(Describe(Failed(operation), status, errorCode, serverMessage), status, errorCode, serverMessage, innerException, operation)
    {
    }
}
