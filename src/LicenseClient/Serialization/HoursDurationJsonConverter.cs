using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>
/// Reads and writes a <see cref="Duration"/> as a JSON number of hours, which may be fractional
/// (<c>max_borrow_time</c>), without reflection.
/// </summary>
internal sealed class HoursDurationJsonConverter : JsonConverter<Duration>
{
    /// <summary>The longest duration taken as genuine: about 114 years.</summary>
    private const double MaxHours = 1_000_000;

    public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected a number of hours, found {reader.TokenType}.");
        }

        double hours = reader.GetDouble();
        return hours is >= 0 and <= MaxHours
            ? Duration.FromHours(hours)
            : throw new JsonException($"A number of hours must lie between 0 and {MaxHours}.");
    }

    public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.TotalHours);
}
