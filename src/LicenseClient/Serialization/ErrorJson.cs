using System;
using System.Text.Json;

namespace LicenseClient.Serialization;

/// <summary>
/// Reads an error answer, <c>{"status": …, "code": …, "message": …}</c>, with <see cref="Utf8JsonReader"/>. Only
/// <c>code</c> decides the exception; <c>status</c> is not read (the HTTP status is), and a <c>message</c> that is not
/// a string, or is text that cannot be decoded, is ignored rather than losing the code.
/// </summary>
/// <remarks>
/// As strict as <see cref="FloatingJson"/> about the rest: one JSON object and nothing after it, names matched
/// exactly, a <c>code</c> that is not a string a <see cref="JsonException"/>, unknown fields skipped, a field given
/// twice keeps its last value, JSON <c>null</c> the same as absent.
/// </remarks>
internal static class ErrorJson
{
    /// <summary>The <c>code</c> and <c>message</c>, each <see langword="null"/> when absent (both when the body is JSON <c>null</c>).</summary>
    /// <exception cref="JsonException">The body is not one JSON object, or its <c>code</c> is not a string.</exception>
    public static (string? Code, string? Message) Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadFields(json);
        }
        catch (InvalidOperationException ex)
        {
            // The reader's own complaint about a code that is not valid UTF-8.
            throw new JsonException(ex.Message, ex);
        }
    }

    private static (string? Code, string? Message) ReadFields(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        if (!reader.Read())
        {
            throw new JsonException("The body holds no JSON value.");
        }

        string? code = null;
        string? message = null;
        if (reader.TokenType != JsonTokenType.Null)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected an error object, found {reader.TokenType}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.String => reader.GetString(),
                        _ => throw new JsonException($"Expected the code as a string, found {reader.TokenType}."),
                    };
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    message = TextOrNothing(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        // Anything but white space after the value is refused by the reader itself.
        if (reader.Read())
        {
            throw new JsonException("The body holds more than one JSON value.");
        }

        return (code, message);
    }

    /// <summary>A string's text; any other value (skipped), or text that is not valid UTF-16 or UTF-8, is <see langword="null"/>.</summary>
    private static string? TextOrNothing(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            try
            {
                return reader.GetString();
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate escaped as \ud800, or bytes that are not UTF-8: ignored like a field of another kind,
                // so the body's other fields still count.
                return null;
            }
        }

        reader.Skip();
        return null;
    }
}
