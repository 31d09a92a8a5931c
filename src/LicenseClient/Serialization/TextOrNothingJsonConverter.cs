using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// Reads a JSON string as its text and any other value (a number, an object, an array) as <see langword="null"/>,
/// skipping it, so a field of an unexpected kind is ignored rather than failing the whole body.
/// </summary>
internal sealed class TextOrNothingJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
        => throw new NotSupportedException("Only read.");
}
