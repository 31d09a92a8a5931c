using System;

namespace LicenseClient;

/// <summary>
/// The License API answered HTTP 429: too many requests from this company, address or credential in a
/// short time. The client retries it on its own as <see cref="LicenseClientOptions.Retry"/> allows; this
/// exception means the retries ran out, or the server asked for a longer wait than the client may take
/// (see <see cref="LicenseApiException.RetryAfter"/>). Try again later.
/// </summary>
public sealed class RateLimitedException : LicenseApiException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (429).</param>
    /// <param name="errorCode">The server's <c>code</c>, or <see cref="LicenseErrorCodes.RateLimited"/> when it sent none.</param>
    /// <param name="serverMessage">The server's <c>message</c>, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation that was refused.</param>
    public RateLimitedException(int? status, string errorCode, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(Describe("Too many requests", status, errorCode, serverMessage), status, errorCode, serverMessage, innerException, operation)
    {
    }
}
