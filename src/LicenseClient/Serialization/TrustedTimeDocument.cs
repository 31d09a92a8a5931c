using System.Text.Json;
using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>The trusted-time mark on disk; unknown fields are ignored.</summary>
internal sealed class TrustedTimeDocument
{
    [JsonPropertyName("version")]
    public JsonElement Version { get; set; }

    [JsonPropertyName("trusted_time")]
    public string? TrustedTime { get; set; }
}
