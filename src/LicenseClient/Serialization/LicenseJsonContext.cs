using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The source-generated serialization context for every wire body. Only its <c>JsonTypeInfo</c>
/// members are used, so nothing falls back to reflection (trimming and NativeAOT stay possible).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(InstantJsonConverter)])]
[JsonSerializable(typeof(BorrowRequestBody))]
[JsonSerializable(typeof(FloatingRequestBody))]
[JsonSerializable(typeof(BorrowResponseBody))]
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(TokenResponseBody))]
internal sealed partial class LicenseJsonContext : JsonSerializerContext
{
}
