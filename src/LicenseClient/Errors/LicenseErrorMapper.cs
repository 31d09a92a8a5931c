using System;
using System.Collections.Generic;

namespace LicenseClient.Errors;

/// <summary>
/// Turns a License API error answer into its typed exception, by a table keyed on the server's
/// <c>code</c> (never by the message text).
/// </summary>
internal static class LicenseErrorMapper
{
    private static readonly Dictionary<string, Func<int?, string?, BorrowException>> BorrowErrors = new(StringComparer.Ordinal)
    {
        [LicenseErrorCodes.MissingHeaders] = (status, message) => new MissingHeadersException(status, message),
        [LicenseErrorCodes.MissingParameters] = (status, message) => new MissingParametersException(status, message),
        [LicenseErrorCodes.UnknownProduct] = (status, message) => new UnknownProductException(status, message),
        [LicenseErrorCodes.LicenseNotFound] = (status, message) => new LicenseNotFoundException(status, message),
        [LicenseErrorCodes.LicenseNotActive] = (status, message) => new LicenseNotActiveException(status, message),
        [LicenseErrorCodes.LicenseNotEnabled] = (status, message) => new LicenseNotEnabledException(status, message),
        [LicenseErrorCodes.LicenseBorrowNotAllowed] = (status, message) => new LicenseBorrowNotAllowedException(status, message),
        [LicenseErrorCodes.BorrowUntilNotValid] = (status, message) => new BorrowUntilNotValidException(status, message),
        [LicenseErrorCodes.DeviceNotFound] = (status, message) => new DeviceNotFoundException(status, message),
        [LicenseErrorCodes.Blacklisted] = (status, message) => new DeviceBlacklistedException(status, message),
        [LicenseErrorCodes.FloatingNotAvailable] = (status, message) => new FloatingNotAvailableException(status, message),
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

    /// <summary>Maps an error answer from the borrow endpoint.</summary>
    public static LicenseApiException ForBorrow(int status, string code, string? message)
    {
        if (AuthorizationErrors.Contains(code))
        {
            return new LicenseAuthorizationException(status, code, message);
        }

        return BorrowErrors.TryGetValue(code, out Func<int?, string?, BorrowException>? create)
            ? create(status, message)
            : new BorrowException(status, code, message);
    }
}
