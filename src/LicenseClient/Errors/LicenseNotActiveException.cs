using System;

namespace LicenseClient;

/// <summary>The license is not active (<c>license_not_active</c>).</summary>
public sealed class LicenseNotActiveException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public LicenseNotActiveException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.LicenseNotActive, serverMessage, innerException, operation)
    {
    }
}
