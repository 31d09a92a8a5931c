using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The source-generated serialization context for the OAuth token endpoint's answer (the License API's bodies are
/// written and read field by field: see <see cref="FloatingJson"/> and <see cref="ErrorJson"/>). Only its <c>JsonTypeInfo</c> members are used,
/// so nothing falls back to reflection (trimming and NativeAOT stay possible).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TokenResponseBody))]
internal sealed partial class LicenseJsonContext : JsonSerializerContext
{
}
