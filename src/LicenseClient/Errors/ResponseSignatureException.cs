using System;

namespace LicenseClient;

/// <summary>
/// An answer's <c>LicenseSignature</c> header is missing (<see cref="LicenseErrorCodes.SignatureMissing"/>)
/// or does not match its body (<see cref="LicenseErrorCodes.SignatureInvalid"/>): the answer cannot be
/// shown to come from the License API, so it was not used. Something between the app and the server (a
/// proxy, a hosts-file entry, a server that is not the License API) answered, or changed the answer; or
/// <see cref="LicenseClientOptions.ServerPublicKey"/> is not the key of the server at
/// <see cref="LicenseClientOptions.BaseAddress"/>. Never retried.
/// </summary>
public sealed class ResponseSignatureException : LicenseApiException
{
    /// <summary>Creates the error.</summary>
    /// <param name="status">The HTTP status of the refused answer.</param>
    /// <param name="errorCode"><see cref="LicenseErrorCodes.SignatureMissing"/> or <see cref="LicenseErrorCodes.SignatureInvalid"/>.</param>
    /// <param name="message">A message for people; it must not contain secrets.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation whose answer was refused.</param>
    public ResponseSignatureException(int? status, string errorCode, string message, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base($"{message} ({errorCode})", status, errorCode, serverMessage: null, innerException, operation)
    {
    }
}
