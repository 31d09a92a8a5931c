using System;

namespace LicenseClient;

/// <summary>The License API found a request field with a value of the wrong type or form (<c>validation_error</c>).</summary>
public sealed class ValidationErrorException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public ValidationErrorException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.ValidationError, serverMessage, innerException, operation)
    {
    }
}
