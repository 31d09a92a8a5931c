using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LicenseClient.Serialization;

namespace LicenseClient.Http;

/// <summary>Reads answers: a success body into its wire type, an error body into its typed exception.</summary>
internal static class AnswerReader
{
    /// <summary>Deserializes a success body, or throws <see cref="LicenseErrorCodes.InvalidResponse"/>.</summary>
    public static T ReadSuccess<T>(LicenseAnswer answer, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(Json(answer), typeInfo)
                ?? throw InvalidResponse(answer, "a JSON null instead of an object", null);
        }
        catch (JsonException ex)
        {
            throw InvalidResponse(answer, "a body that is not the expected JSON", ex);
        }
    }

    /// <summary>
    /// The exception an error answer stands for: the typed exception for its <c>code</c> when the body is
    /// the API's JSON error, else <see cref="LicenseErrorCodes.InvalidResponse"/> (an HTML page from a proxy,
    /// an empty or truncated body).
    /// </summary>
    public static LicenseApiException ReadError(LicenseAnswer answer, Func<int, string, string?, LicenseApiException> map)
    {
        ErrorResponseBody? error;
        try
        {
            error = JsonSerializer.Deserialize(Json(answer), LicenseJsonContext.Default.ErrorResponseBody);
        }
        catch (JsonException ex)
        {
            return InvalidResponse(answer, "a body that is not a License API error", ex);
        }

        return string.IsNullOrWhiteSpace(error?.Code)
            ? InvalidResponse(answer, "a JSON body without an error code", null)
            : map(answer.Status, error!.Code!, error.Message.ValueKind == JsonValueKind.String ? error.Message.GetString() : null);
    }

    /// <summary>The UTF-8 byte-order mark, which some servers and proxies put before a body.</summary>
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The body's JSON text, without a leading byte-order mark.</summary>
    private static ReadOnlySpan<byte> Json(LicenseAnswer answer)
    {
        ReadOnlySpan<byte> body = answer.Body;
        return body.StartsWith(Utf8ByteOrderMark) ? body.Slice(Utf8ByteOrderMark.Length) : body;
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
