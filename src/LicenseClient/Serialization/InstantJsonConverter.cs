using System;
using System.Globalization;
using System.Text.Json;
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
/// <remarks>
/// The form the client writes and the License API sends, <c>2030-01-02T03:04:05.000Z</c>, is read and written
/// through <see cref="DateTime"/>, without building NodaTime patterns or strings; every other form, and any
/// instant outside <see cref="DateTime"/>'s years, goes through the patterns.
/// </remarks>
internal static class InstantJsonConverter
{
    /// <summary>The canonical form, as a <see cref="DateTime"/> format.</summary>
    private const string CanonicalFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

#if NET
    /// <summary>The canonical form's length: <c>2030-01-02T03:04:05.000Z</c>.</summary>
    private const int CanonicalLength = 24;
#endif

    private static readonly Instant DateTimeMin = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));

    private static readonly Instant DateTimeMax = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    /// <summary>Reads the string at <paramref name="reader"/>'s token.</summary>
    /// <exception cref="JsonException">The token is not a string, or not a timestamp.</exception>
    public static Instant Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected an ISO 8601 timestamp string, found {reader.TokenType}.");
        }

#if NET
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && TryParseCanonical(reader.ValueSpan, out Instant canonical))
        {
            return canonical;
        }
#endif
        string text = reader.GetString()!;
        return TryParse(text, out Instant instant)
            ? instant
            : throw new JsonException("The timestamp is not an ISO 8601 date or date-time.");
    }

    /// <summary>Writes <paramref name="value"/> as a string in the canonical form.</summary>
    public static void Write(Utf8JsonWriter writer, Instant value)
    {
#if NET
        Span<byte> utf8 = stackalloc byte[CanonicalLength];
        if (value >= DateTimeMin && value <= DateTimeMax
            && value.ToDateTimeUtc().TryFormat(utf8, out int written, CanonicalFormat, CultureInfo.InvariantCulture))
        {
            writer.WriteStringValue(utf8.Slice(0, written));
            return;
        }
#endif
        writer.WriteStringValue(Format(value));
    }

    /// <summary>Formats an instant the way the License API expects it on input.</summary>
    internal static string Format(Instant value)
        => value >= DateTimeMin && value <= DateTimeMax
            ? value.ToDateTimeUtc().ToString(CanonicalFormat, CultureInfo.InvariantCulture)
            : Patterns.Write.Format(value);

#if NET
    /// <summary>Reads the canonical form (UTF-8, exactly <c>2030-01-02T03:04:05.000Z</c>); anything else is left to the patterns.</summary>
    private static bool TryParseCanonical(ReadOnlySpan<byte> utf8, out Instant instant)
    {
        instant = default;
        if (utf8.Length != CanonicalLength)
        {
            return false;
        }

        Span<char> text = stackalloc char[CanonicalLength];
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7F)
            {
                return false;
            }

            text[i] = (char)utf8[i];
        }

        if (!DateTime.TryParseExact(text, CanonicalFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime utc))
        {
            return false;
        }

        instant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        return true;
    }
#endif

    /// <summary>Parses any timestamp form the License API documents or sends.</summary>
    internal static bool TryParse(string text, out Instant instant)
    {
        string trimmed = text.Trim();
        foreach (IPattern<OffsetDateTime> pattern in Patterns.Offset)
        {
            ParseResult<OffsetDateTime> result = pattern.Parse(trimmed);
            if (result.Success)
            {
                return TryToInstant(result.Value, out instant);
            }
        }

        foreach (IPattern<LocalDateTime> pattern in Patterns.Local)
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

    /// <summary>The NodaTime patterns, built the first time a timestamp is not in the canonical form.</summary>
    private static class Patterns
    {
        public static readonly InstantPattern Write =
            InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");

        public static readonly IPattern<OffsetDateTime>[] Offset =
        [
            OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<G>"),
            OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HHmm>"),
            OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
            OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFFo<G>"),
        ];

        public static readonly IPattern<LocalDateTime>[] Local =
        [
            LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF"),
            LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
            LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
            LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
        ];
    }
}
