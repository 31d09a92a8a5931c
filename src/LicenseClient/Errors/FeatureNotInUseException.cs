using System;

namespace LicenseClient;

/// <summary>The device does not hold a seat of the floating feature it tried to release: it was never borrowed, was already released, or its borrow has ended (<c>floating_feature_device_not_in_use</c>).</summary>
public sealed class FeatureNotInUseException : BorrowException
{
    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public FeatureNotInUseException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.FloatingFeatureDeviceNotInUse, serverMessage, innerException, operation)
    {
    }
}
