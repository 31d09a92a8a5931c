using System.Text.Json.Serialization;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>The JSON body of <c>POST api/v4/floating/borrow</c> and <c>feature_borrow</c>.</summary>
internal sealed class BorrowRequestBody : FloatingRequestBody
{
    /// <summary>Always written: JSON <c>null</c> asks for the license's (or feature's) maximum borrow time.</summary>
    [JsonPropertyName("borrowed_until")]
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Instant? BorrowedUntil { get; set; }
}
