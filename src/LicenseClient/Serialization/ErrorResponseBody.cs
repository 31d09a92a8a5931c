using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>The JSON body of an error answer: <c>{"status": …, "code": …, "message": …}</c>.</summary>
internal sealed class ErrorResponseBody
{
    [JsonPropertyName("status")]
    public int? Status { get; set; }

    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
