using System.Text.Json;
using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// A <see cref="BorrowReceipt"/> on disk. Every field is nullable so a missing one is reported rather than
/// defaulted; unknown fields are ignored, so a later version may add some and still be read.
/// </summary>
internal sealed class ReceiptDocument
{
    [JsonPropertyName("version")]
    public JsonElement Version { get; set; }

    [JsonPropertyName("product")]
    public string? Product { get; set; }

    [JsonPropertyName("hardware_id")]
    public string? HardwareId { get; set; }

    [JsonPropertyName("feature")]
    public string? Feature { get; set; }

    [JsonPropertyName("server_date")]
    public string? ServerDate { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    /// <summary>The answer body exactly as received, Base64.</summary>
    [JsonPropertyName("body")]
    public byte[]? Body { get; set; }
}
