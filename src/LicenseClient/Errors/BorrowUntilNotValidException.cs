using System;

namespace LicenseClient;

/// <summary>The requested end of the borrow is in the past or beyond the license's maximum borrow time (<c>borrow_until_not_valid</c>).</summary>
public sealed class BorrowUntilNotValidException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public BorrowUntilNotValidException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.BorrowUntilNotValid, serverMessage, innerException, operation)
    {
    }
}
