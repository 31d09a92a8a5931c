using System;
using System.Collections.Generic;

namespace LicenseClient;

/// <summary>
/// The values <see cref="LicenseApiException.ErrorCode"/> can take: the License API's own codes and
/// the client-side codes this library uses when no usable answer arrived.
/// </summary>
public static class LicenseErrorCodes
{
    /// <summary>Some required headers are missing from the request.</summary>
    public const string MissingHeaders = "missing_headers";

    /// <summary>Some required parameters are missing from the request.</summary>
    public const string MissingParameters = "missing_parameters";

    /// <summary>The product was not found.</summary>
    public const string UnknownProduct = "unknown_product";

    /// <summary>No license matches the credential.</summary>
    public const string LicenseNotFound = "license_not_found";

    /// <summary>The license is not active.</summary>
    public const string LicenseNotActive = "license_not_active";

    /// <summary>The license is not enabled.</summary>
    public const string LicenseNotEnabled = "license_not_enabled";

    /// <summary>The license does not allow borrowing.</summary>
    public const string LicenseBorrowNotAllowed = "license_borrow_not_allowed";

    /// <summary>The requested <c>borrowed_until</c> is in the past or beyond the license's maximum borrow time.</summary>
    public const string BorrowUntilNotValid = "borrow_until_not_valid";

    /// <summary>No active device matches the hardware id.</summary>
    public const string DeviceNotFound = "device_not_found";

    /// <summary>The device is blacklisted.</summary>
    public const string Blacklisted = "blacklisted";

    /// <summary>Every floating seat is in use.</summary>
    public const string FloatingNotAvailable = "floating_not_available";

    /// <summary>The license has expired.</summary>
    public const string LicenseExpired = "license_expired";

    /// <summary>The device does not hold a seat of the floating feature it tried to release.</summary>
    public const string FloatingFeatureDeviceNotInUse = "floating_feature_device_not_in_use";

    /// <summary>The feature code is not valid, or the feature is not assigned to the license.</summary>
    public const string InvalidLicenseFeatureCode = "invalid_license_feature_code";

    /// <summary>The license feature is not a floating cloud feature.</summary>
    public const string FeatureNotFloating = "feature_not_floating";

    /// <summary>The request body is not valid JSON.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A request field has a value of the wrong type or form.</summary>
    public const string ValidationError = "validation_error";

    /// <summary>The request's <c>Date</c> header is too far from the server's clock (more than 15 minutes).</summary>
    public const string DateHeaderDiff = "date_header_diff";

    /// <summary>The <c>Authorization</c> header is malformed.</summary>
    public const string AuthorizationInvalidHeaders = "authorization_invalid_headers";

    /// <summary>The <c>Authorization</c> header lacks some of its parameters.</summary>
    public const string AuthorizationMissingParams = "authorization_missing_params";

    /// <summary>The <c>Authorization</c> header must use the <c>hmac-sha256</c> algorithm.</summary>
    public const string HmacRequired = "hmac_required";

    /// <summary>The request signature does not match (wrong shared key, or a changed <c>Date</c>).</summary>
    public const string SignatureMismatch = "signature_mismatch";

    /// <summary>The API key is not valid.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>The API key has been revoked.</summary>
    public const string RevokedApiKey = "revoked_api_key";

    /// <summary>The API key is read-only.</summary>
    public const string ReadOnlyApiKey = "read_only_api_key";

    /// <summary>The API key may not be used for this product.</summary>
    public const string ApiKeyProductNotAllowed = "api_key_product_not_allowed";

    /// <summary>The OAuth access token has expired.</summary>
    public const string OAuthTokenExpired = "oauth_token_expired";

    /// <summary>The OAuth access token is malformed.</summary>
    public const string OAuthTokenMalformed = "oauth_token_malformed";

    /// <summary>Client-side: the server's answer could not be understood (not JSON, truncated, or missing fields).</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>Client-side: no answer arrived because the connection failed (refused, reset, DNS, TLS).</summary>
    public const string ConnectionFailed = "connection_failed";

    /// <summary>
    /// Client-side: the server or a proxy in front of it answered HTTP 408 or 5xx without a License API
    /// error code (an HTML error page, say), and retries did not help.
    /// </summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>Client-side: the server answered HTTP 429 (too many requests) without a License API error code.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Client-side: a success answer has no <c>LicenseSignature</c> header, so it was not used.</summary>
    public const string SignatureMissing = "signature_missing";

    /// <summary>Client-side: a success answer's <c>LicenseSignature</c> header does not match its body, so it was not used.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>
    /// Client-side: the OAuth token endpoint refused the client (<c>invalid_client</c>, <c>unauthorized_client</c>,
    /// or another 4xx): check <see cref="LicenseClientOptions.ClientId"/> and <see cref="LicenseClientOptions.ClientSecret"/>.
    /// </summary>
    public const string OAuthInvalidClient = "oauth_invalid_client";

    /// <summary>Client-side: no answer arrived in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>
    /// Client-side: the request could not be signed, for example because a custom
    /// <see cref="IRequestSigner"/> failed or the clock is outside the range an HTTP date can express.
    /// </summary>
    public const string SigningFailed = "signing_failed";

    /// <summary>
    /// Client-side: the License API granted the borrow, but its receipt could not be saved to
    /// <see cref="LicenseClientOptions.ReceiptStore"/>; thrown as <see cref="ReceiptNotSavedException"/>, which carries the
    /// granted result and the receipt to save again.
    /// </summary>
    public const string ReceiptNotSaved = "receipt_not_saved";

    /// <summary>
    /// Client-side: a release was not sent, because the stored receipt could not be deleted from
    /// <see cref="LicenseClientOptions.ReceiptStore"/> first; the inner exception says why. The seat is still held and the
    /// receipt still stored, so nothing is half-done: fix the store and release again.
    /// </summary>
    public const string ReceiptNotDeleted = "receipt_not_deleted";

    /// <summary>Every code above, for telling a known code from one a server or a proxy made up.</summary>
    internal static readonly HashSet<string> All = new(StringComparer.Ordinal)
    {
        MissingHeaders,
        MissingParameters,
        UnknownProduct,
        LicenseNotFound,
        LicenseNotActive,
        LicenseNotEnabled,
        LicenseBorrowNotAllowed,
        BorrowUntilNotValid,
        DeviceNotFound,
        Blacklisted,
        FloatingNotAvailable,
        LicenseExpired,
        FloatingFeatureDeviceNotInUse,
        InvalidLicenseFeatureCode,
        FeatureNotFloating,
        InvalidJson,
        ValidationError,
        DateHeaderDiff,
        AuthorizationInvalidHeaders,
        AuthorizationMissingParams,
        HmacRequired,
        SignatureMismatch,
        InvalidApiKey,
        RevokedApiKey,
        ReadOnlyApiKey,
        ApiKeyProductNotAllowed,
        OAuthTokenExpired,
        OAuthTokenMalformed,
        InvalidResponse,
        ConnectionFailed,
        ServiceUnavailable,
        RateLimited,
        SignatureMissing,
        SignatureInvalid,
        OAuthInvalidClient,
        Timeout,
        SigningFailed,
        ReceiptNotSaved,
        ReceiptNotDeleted,
    };
}
