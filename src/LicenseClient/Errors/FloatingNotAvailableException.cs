using System;

namespace LicenseClient;

/// <summary>Every floating seat of the license is in use; try again once a seat is released or its borrow ends (<c>floating_not_available</c>).</summary>
public sealed class FloatingNotAvailableException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public FloatingNotAvailableException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.FloatingNotAvailable, serverMessage, innerException, operation)
    {
    }
}
