using System;
using System.Globalization;
using System.Text.Json;
using LicenseClient.Errors;
using LicenseClient.Serialization;

namespace LicenseClient.Http;

/// <summary>Reads answers: a success body into its wire type, an error body into its typed exception.</summary>
internal static class AnswerReader
{
    /// <summary>Reads a borrow or feature borrow answer's fields, or throws <see cref="LicenseErrorCodes.InvalidResponse"/>.</summary>
    public static BorrowResponseBody ReadBorrow(LicenseAnswer answer)
    {
        BorrowResponseBody? body;
        try
        {
            body = FloatingJson.ReadBorrow(Json(answer));
        }
        catch (JsonException ex)
        {
            throw InvalidResponse(answer, "a body that is not the expected JSON", ex);
        }

        return body ?? throw InvalidResponse(answer, "a JSON null instead of an object", null);
    }

    /// <summary>
    /// The exception an error answer stands for: <see cref="RateLimitedException"/> for HTTP 429, the typed
    /// exception for its <c>code</c> when the body is the API's JSON error, else
    /// <see cref="LicenseErrorCodes.ServiceUnavailable"/> for HTTP 408 and 5xx (an HTML page from a proxy)
    /// and <see cref="LicenseErrorCodes.InvalidResponse"/> for the rest (an empty or truncated body).
    /// </summary>
    public static LicenseApiException ReadError(LicenseAnswer answer, LicenseApiOperation operation)
    {
        (string? code, string? message, JsonException? parseError) = answer.ErrorFields;
        if (answer.Status == 429)
        {
            return new RateLimitedException(answer.Status, code ?? LicenseErrorCodes.RateLimited, message, parseError, operation);
        }

        if (code is not null)
        {
            return LicenseErrorMapper.Map(answer.Status, code, message, operation);
        }

        if (answer.Status is 408 or >= 500)
        {
            return Unavailable(answer, parseError);
        }

        return parseError is null
            ? InvalidResponse(answer, "a JSON body without an error code", null)
            : InvalidResponse(answer, "a body that is not a License API error", parseError);
    }

    /// <summary>
    /// The error answer's <c>code</c> and <c>message</c>, each <see langword="null"/> when absent (or not JSON), and
    /// why the body could not be read as an error, when it could not.
    /// </summary>
    public static (string? Code, string? Message, JsonException? ParseError) PeekError(LicenseAnswer answer)
    {
        try
        {
            (string? code, string? message) = ErrorJson.Read(Json(answer));
            return (string.IsNullOrWhiteSpace(code) ? null : code, message, null);
        }
        catch (JsonException ex)
        {
            return (null, null, ex);
        }
    }

    /// <summary>The UTF-8 byte-order mark, which some servers and proxies put before a body.</summary>
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The body's JSON text, without a leading byte-order mark.</summary>
    internal static ReadOnlySpan<byte> Json(LicenseAnswer answer)
    {
        ReadOnlySpan<byte> body = answer.Body;
        return body.StartsWith(Utf8ByteOrderMark) ? body.Slice(Utf8ByteOrderMark.Length) : body;
    }

    /// <summary>An HTTP 408 or 5xx answer without a License API error code: the server or a proxy is not serving.</summary>
    private static LicenseApiException Unavailable(LicenseAnswer answer, Exception? innerException)
    {
        string mediaType = string.IsNullOrEmpty(answer.MediaType) ? "no content type" : answer.MediaType!;
        string message = string.Format(
            CultureInfo.InvariantCulture,
            "The License API is unavailable: it answered HTTP {0} without an error code ({1}, {2} bytes) ({3}).",
            answer.Status,
            mediaType,
            answer.Body.Length,
            LicenseErrorCodes.ServiceUnavailable);
        return new LicenseApiException(message, answer.Status, LicenseErrorCodes.ServiceUnavailable, serverMessage: null, innerException);
    }

    /// <summary>An answer that could not be understood.</summary>
    public static LicenseApiException InvalidResponse(LicenseAnswer answer, string what, Exception? innerException)
    {
        string mediaType = string.IsNullOrEmpty(answer.MediaType) ? "no content type" : answer.MediaType!;
        string message = string.Format(
            CultureInfo.InvariantCulture,
            "The License API answered HTTP {0} with {1} ({2}, {3} bytes) ({4}).",
            answer.Status,
            what,
            mediaType,
            answer.Body.Length,
            LicenseErrorCodes.InvalidResponse);
        return new LicenseApiException(message, answer.Status, LicenseErrorCodes.InvalidResponse, serverMessage: null, innerException);
    }
}
