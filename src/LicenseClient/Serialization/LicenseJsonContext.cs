using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The source-generated serialization context for the error and token answers (the floating request bodies and the
/// borrow answer are written and read by <see cref="FloatingJson"/>). Only its <c>JsonTypeInfo</c> members are used,
/// so nothing falls back to reflection (trimming and NativeAOT stay possible).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(TokenResponseBody))]
internal sealed partial class LicenseJsonContext : JsonSerializerContext
{
}
