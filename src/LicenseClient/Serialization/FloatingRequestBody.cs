using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The JSON body of <c>POST api/v4/floating/release</c> and <c>feature_release</c>, and the fields every floating
/// request shares. <c>feature</c> is written only for the feature endpoints.
/// </summary>
internal class FloatingRequestBody : CredentialFields
{
    [JsonPropertyName("product")]
    [JsonPropertyOrder(0)]
    public string Product { get; set; } = "";

    [JsonPropertyName("hardware_id")]
    [JsonPropertyOrder(1)]
    public string HardwareId { get; set; } = "";

    [JsonPropertyName("feature")]
    [JsonPropertyOrder(3)]
    public string? Feature { get; set; }

    [JsonPropertyName("license_id")]
    [JsonPropertyOrder(20)]
    public long? LicenseId { get; set; }

    [JsonPropertyName("bundle_code")]
    [JsonPropertyOrder(21)]
    public string? BundleCode { get; set; }

    [JsonPropertyName("sdk_ver")]
    [JsonPropertyOrder(22)]
    public string? SdkVersion { get; set; }
}
