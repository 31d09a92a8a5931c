using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace LicenseClient.Serialization;

/// <summary>
/// Reads and writes <see cref="Instant"/> as an ISO 8601 string without reflection.
/// </summary>
/// <remarks>
/// Writes UTC with milliseconds and <c>Z</c> (<c>2030-01-02T03:04:05.000Z</c>). Reads leniently, as the
/// License API documents and sends: <c>T</c> or a space between date and time, with or without
/// fractional seconds or seconds, with <c>Z</c>, a numeric offset or no offset (meaning UTC), or a
/// date alone (midnight UTC).
/// </remarks>
internal sealed class InstantJsonConverter : JsonConverter<Instant>
{
    private static readonly InstantPattern WritePattern =
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");

    private static readonly IPattern<OffsetDateTime>[] OffsetPatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HHmm>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFFo<G>"),
    ];

    private static readonly IPattern<LocalDateTime>[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
    ];

    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected an ISO 8601 timestamp string, found {reader.TokenType}.");
        }

        string text = reader.GetString()!;
        return TryParse(text, out Instant instant)
            ? instant
            : throw new JsonException("The timestamp is not an ISO 8601 date or date-time.");
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options)
        => writer.WriteStringValue(Format(value));

    /// <summary>Formats an instant the way the License API expects it on input.</summary>
    internal static string Format(Instant value) => WritePattern.Format(value);

    /// <summary>Parses any timestamp form the License API documents or sends.</summary>
    internal static bool TryParse(string text, out Instant instant)
    {
        string trimmed = text.Trim();
        foreach (IPattern<OffsetDateTime> pattern in OffsetPatterns)
        {
            ParseResult<OffsetDateTime> result = pattern.Parse(trimmed);
            if (result.Success)
            {
                return TryToInstant(result.Value, out instant);
            }
        }

        foreach (IPattern<LocalDateTime> pattern in LocalPatterns)
        {
            ParseResult<LocalDateTime> result = pattern.Parse(trimmed);
            if (result.Success)
            {
                instant = result.Value.InUtc().ToInstant();
                return true;
            }
        }

        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(trimmed);
        if (date.Success)
        {
            instant = date.Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            return true;
        }

        instant = default;
        return false;
    }

    /// <summary>An offset date-time near the ends of the supported range may have no instant.</summary>
    private static bool TryToInstant(OffsetDateTime value, out Instant instant)
    {
        try
        {
            instant = value.ToInstant();
            return true;
        }
        catch (OverflowException)
        {
            instant = default;
            return false;
        }
    }
}
