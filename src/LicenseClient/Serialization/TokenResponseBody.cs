using System.Text.Json;
using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The OAuth token endpoint's answer: <c>{"access_token": …, "expires_in": seconds, "token_type": "Bearer"}</c>
/// on success, <c>{"error": …}</c> on refusal.
/// </summary>
internal sealed class TokenResponseBody
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? ExpiresIn { get; set; }

    [JsonPropertyName("error")]
    public JsonElement Error { get; set; }
}
