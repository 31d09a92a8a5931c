using System.Text.Json.Serialization;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>
/// The JSON body of a successful borrow. Every field is nullable so that a missing one is reported
/// as an invalid response rather than silently defaulted; unknown fields are ignored.
/// </summary>
internal sealed class BorrowResponseBody
{
    [JsonPropertyName("borrowed_until")]
    public Instant? BorrowedUntil { get; set; }

    /// <summary>A number of hours on the wire; may be fractional.</summary>
    [JsonPropertyName("max_borrow_time")]
    [JsonConverter(typeof(HoursDurationJsonConverter))]
    public Duration? MaxBorrowTime { get; set; }

    [JsonPropertyName("device_id")]
    public long? DeviceId { get; set; }

    [JsonPropertyName("license_id")]
    public long? LicenseId { get; set; }

    /// <summary>The company the license belongs to; every company's answers are signed with the same key, so this tells them apart.</summary>
    [JsonPropertyName("company")]
    public CompanyBody? Company { get; set; }
}
