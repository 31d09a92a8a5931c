using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The JSON body of an error answer: <c>{"status": …, "code": …, "message": …}</c>. Only <c>code</c>
/// decides the exception; <c>status</c> is not read (the HTTP status is), and a <c>message</c> that is
/// not a string is ignored rather than losing the code.
/// </summary>
internal sealed class ErrorResponseBody
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    /// <summary>The message when it is a string; <see langword="null"/> when absent or of another kind.</summary>
    [JsonPropertyName("message")]
    [JsonConverter(typeof(TextOrNothingJsonConverter))]
    public string? Message { get; set; }
}
