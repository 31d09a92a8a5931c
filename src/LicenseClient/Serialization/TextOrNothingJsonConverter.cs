using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// Reads a JSON string as its text and any other value (a number, an object, an array) as <see langword="null"/>,
/// skipping it, so a field of an unexpected kind, or text that cannot be decoded, is ignored rather than failing
/// the whole body.
/// </summary>
internal sealed class TextOrNothingJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            try
            {
                return reader.GetString();
            }
            catch (InvalidOperationException)
            {
                // Text that is not valid UTF-16 (a lone surrogate escaped as \ud800, or bytes that are not UTF-8):
                // the field is ignored like one of another kind, so the body's other fields still count.
                return null;
            }
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
        => throw new NotSupportedException("Only read.");
}
