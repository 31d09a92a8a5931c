using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The source-generated serialization context for what the client keeps on disk (receipts and the trusted-time
/// mark), apart from the wire bodies. Only its <c>JsonTypeInfo</c> members are used, so nothing falls back to
/// reflection.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ReceiptDocument))]
[JsonSerializable(typeof(TrustedTimeDocument))]
internal sealed partial class ReceiptJsonContext : JsonSerializerContext
{
}
