using System;
using System.Collections.Generic;

namespace LicenseClient.Errors;

/// <summary>
/// Turns a License API error answer into its typed exception, by a table keyed on the server's
/// <c>code</c> (never by the message text).
/// </summary>
internal static class LicenseErrorMapper
{
    private static readonly Dictionary<string, Func<int?, string?, LicenseApiOperation, BorrowException>> RefusalErrors = new(StringComparer.Ordinal)
    {
        [LicenseErrorCodes.MissingHeaders] = (status, message, operation) => new MissingHeadersException(status, message, null, operation),
        [LicenseErrorCodes.MissingParameters] = (status, message, operation) => new MissingParametersException(status, message, null, operation),
        [LicenseErrorCodes.InvalidJson] = (status, message, operation) => new InvalidJsonException(status, message, null, operation),
        [LicenseErrorCodes.ValidationError] = (status, message, operation) => new ValidationErrorException(status, message, null, operation),
        [LicenseErrorCodes.UnknownProduct] = (status, message, operation) => new UnknownProductException(status, message, null, operation),
        [LicenseErrorCodes.LicenseNotFound] = (status, message, operation) => new LicenseNotFoundException(status, message, null, operation),
        [LicenseErrorCodes.LicenseNotActive] = (status, message, operation) => new LicenseNotActiveException(status, message, null, operation),
        [LicenseErrorCodes.LicenseNotEnabled] = (status, message, operation) => new LicenseNotEnabledException(status, message, null, operation),
        [LicenseErrorCodes.LicenseExpired] = (status, message, operation) => new LicenseExpiredException(status, message, null, operation),
        [LicenseErrorCodes.LicenseBorrowNotAllowed] = (status, message, operation) => new LicenseBorrowNotAllowedException(status, message, null, operation),
        [LicenseErrorCodes.BorrowUntilNotValid] = (status, message, operation) => new BorrowUntilNotValidException(status, message, null, operation),
        [LicenseErrorCodes.DeviceNotFound] = (status, message, operation) => new DeviceNotFoundException(status, message, null, operation),
        [LicenseErrorCodes.Blacklisted] = (status, message, operation) => new DeviceBlacklistedException(status, message, null, operation),
        [LicenseErrorCodes.FloatingNotAvailable] = (status, message, operation) => new FloatingNotAvailableException(status, message, null, operation),
        [LicenseErrorCodes.FloatingFeatureDeviceNotInUse] = (status, message, operation) => new FeatureNotInUseException(status, message, null, operation),
        [LicenseErrorCodes.InvalidLicenseFeatureCode] = (status, message, operation) => new UnknownFeatureException(status, message, null, operation),
        [LicenseErrorCodes.FeatureNotFloating] = (status, message, operation) => new FeatureNotFloatingException(status, message, null, operation),
    };

    private static readonly HashSet<string> AuthorizationErrors = new(StringComparer.Ordinal)
    {
        LicenseErrorCodes.DateHeaderDiff,
        LicenseErrorCodes.AuthorizationInvalidHeaders,
        LicenseErrorCodes.AuthorizationMissingParams,
        LicenseErrorCodes.HmacRequired,
        LicenseErrorCodes.SignatureMismatch,
        LicenseErrorCodes.InvalidApiKey,
        LicenseErrorCodes.RevokedApiKey,
        LicenseErrorCodes.ReadOnlyApiKey,
        LicenseErrorCodes.ApiKeyProductNotAllowed,
        LicenseErrorCodes.OAuthTokenExpired,
        LicenseErrorCodes.OAuthTokenMalformed,
    };

    /// <summary>Whether <paramref name="code"/> is one of the API's authorization codes, common to every endpoint.</summary>
    public static bool IsAuthorizationCode(string? code) => code is not null && AuthorizationErrors.Contains(code);

    /// <summary>
    /// Maps an error answer of any floating operation: one exception type per code, whatever the operation;
    /// an unknown code is a plain <see cref="BorrowException"/> that keeps it.
    /// </summary>
    public static LicenseApiException Map(int status, string code, string? message, LicenseApiOperation operation)
    {
        if (IsAuthorizationCode(code))
        {
            return new LicenseAuthorizationException(status, code, message, null, operation);
        }

        return RefusalErrors.TryGetValue(code, out Func<int?, string?, LicenseApiOperation, BorrowException>? create)
            ? create(status, message, operation)
            : new BorrowException(status, code, message, null, operation);
    }
}
