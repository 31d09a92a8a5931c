using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>Checks a request's <c>Date</c> and API-key <c>Authorization</c> headers as the License API does.</summary>
internal sealed partial class HmacAuthorization
{
    /// <summary>How far a request's <c>Date</c> may be from the server's clock.</summary>
    public static readonly Duration DateTolerance = Duration.FromMinutes(15);

    /// <summary>
    /// The <c>Date</c> forms RFC 7231 (section 7.1.1.1) tells a server to accept: IMF-fixdate, the obsolete
    /// RFC 850 form, and ANSI C's asctime form (its day padded with a space), all in GMT.
    /// </summary>
    private static readonly string[] DateFormats =
    [
        "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        "ddd MMM d HH':'mm':'ss yyyy",
    ];

    private readonly string _apiKey;
    private readonly byte[] _sharedKey;

    public HmacAuthorization(string apiKey, string sharedKey)
    {
        _apiKey = apiKey;
        _sharedKey = Encoding.UTF8.GetBytes(sharedKey);
    }

    /// <summary>The error answer for the headers, or <see langword="null"/> when they authorize the request.</summary>
    public Answer? Check(string? date, string? authorization, Instant now)
    {
        if (string.IsNullOrWhiteSpace(date) || string.IsNullOrWhiteSpace(authorization))
        {
            return Answer.BadRequest("missing_headers", "Some headers are missing");
        }

        if (!DateTimeOffset.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out DateTimeOffset sent))
        {
            return Answer.BadRequest("authorization_invalid_headers", "Provided Date header is malformed");
        }

        Duration difference = Instant.FromDateTimeOffset(sent) - now;
        if (Duration.Max(difference, -difference) > DateTolerance)
        {
            return Answer.BadRequest("date_header_diff", "Request DateTime header is invalid, please set correct date time on target device");
        }

        if (!AuthorizationPattern().IsMatch(authorization))
        {
            return Answer.BadRequest("authorization_invalid_headers", "Provided Authorization header is malformed");
        }

        // Parameter names are case-insensitive: the Python SDK sends apiKey=, the others apikey=.
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match parameter in ParameterPattern().Matches(authorization))
        {
            parameters[parameter.Groups["name"].Value] = parameter.Groups["value"].Value;
        }

        string[] required = ["algorithm", "headers", "signature", "apikey"];
        if (Array.Exists(required, name => !parameters.ContainsKey(name)))
        {
            return Answer.BadRequest("authorization_missing_params", "Provided Authorization header has missing data");
        }

        if (parameters["algorithm"] != "hmac-sha256")
        {
            return Answer.BadRequest("hmac_required", "hmac is required algorithm");
        }

        if (parameters["apikey"] != _apiKey)
        {
            return Answer.BadRequest("invalid_api_key", "provided api key is not valid");
        }

        byte[] expected = HMACSHA256.HashData(_sharedKey, Encoding.UTF8.GetBytes("licenseSpring\ndate: " + date));
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(parameters["signature"]);
        }
        catch (FormatException)
        {
            return Answer.Error(401, "signature_mismatch", "signature mismatch");
        }

        return CryptographicOperations.FixedTimeEquals(expected, signature)
            ? null
            : Answer.Error(401, "signature_mismatch", "signature mismatch");
    }

    /// <summary>A comma-separated list of <c>name="value"</c> pairs.</summary>
    [GeneratedRegex("^\\s*[a-z]+=\"[^\"]*\"(\\s*,\\s*[a-z]+=\"[^\"]*\")*\\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex("(?<name>[a-z]+)=\"(?<value>[^\"]*)\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ParameterPattern();
}
