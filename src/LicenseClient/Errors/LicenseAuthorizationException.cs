using System;

namespace LicenseClient;

/// <summary>
/// The License API did not accept the request's authorization: a wrong or revoked API key, a
/// signature mismatch (wrong shared key), a malformed <c>Authorization</c> header, an expired OAuth
/// token, or a <c>Date</c> too far from the server's clock (<c>date_header_diff</c>: check the
/// computer's clock). These codes are common to every License API endpoint.
/// </summary>
public class LicenseAuthorizationException : LicenseApiException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (400 or 401).</param>
    /// <param name="errorCode">The server's <c>code</c>, one of the authorization codes in <see cref="LicenseErrorCodes"/>.</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation whose request was refused.</param>
    public LicenseAuthorizationException(int? status, string errorCode, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(Describe("Request not authorized", status, errorCode, serverMessage), status, errorCode, serverMessage, innerException, operation)
    {
    }

    /// <summary>Creates the error with a message of the client's own, such as one that explains a wrong clock.</summary>
    internal LicenseAuthorizationException(string message, int? status, string errorCode, string? serverMessage, Exception? innerException, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(message, status, errorCode, serverMessage, innerException, operation)
    {
    }
}
