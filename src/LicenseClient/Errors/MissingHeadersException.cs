using System;

namespace LicenseClient;

/// <summary>Some required headers (such as <c>Date</c> or <c>Authorization</c>) were missing from the request (<c>missing_headers</c>).</summary>
public sealed class MissingHeadersException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public MissingHeadersException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.MissingHeaders, serverMessage, innerException, operation)
    {
    }
}
