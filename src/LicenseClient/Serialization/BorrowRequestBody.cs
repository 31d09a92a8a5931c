using System.Text.Json.Serialization;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>The JSON body of <c>POST api/v4/floating/borrow</c>.</summary>
internal sealed class BorrowRequestBody : CredentialFields
{
    [JsonPropertyName("product")]
    [JsonPropertyOrder(0)]
    public string Product { get; set; } = "";

    [JsonPropertyName("hardware_id")]
    [JsonPropertyOrder(1)]
    public string HardwareId { get; set; } = "";

    /// <summary>Always written: JSON <c>null</c> asks for the license's maximum borrow time.</summary>
    [JsonPropertyName("borrowed_until")]
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Instant? BorrowedUntil { get; set; }

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
