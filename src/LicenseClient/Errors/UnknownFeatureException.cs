using System;

namespace LicenseClient;

/// <summary>The feature code is not valid, or the feature is not assigned to the license (<c>invalid_license_feature_code</c>).</summary>
public sealed class UnknownFeatureException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public UnknownFeatureException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.InvalidLicenseFeatureCode, serverMessage, innerException, operation)
    {
    }
}
