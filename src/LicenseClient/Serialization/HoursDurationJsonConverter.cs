using System.Text.Json;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>Reads a <see cref="Duration"/> given as a JSON number of hours, which may be fractional (<c>max_borrow_time</c>).</summary>
internal static class HoursDurationJsonConverter
{
    /// <summary>The longest duration taken as genuine: about 114 years.</summary>
    private const double MaxHours = 1_000_000;

    /// <summary>Reads the number at <paramref name="reader"/>'s token.</summary>
    /// <exception cref="JsonException">The token is not a number, or not between 0 and <see cref="MaxHours"/> hours.</exception>
    public static Duration Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected a number of hours, found {reader.TokenType}.");
        }

        return reader.TryGetDouble(out double hours) && hours is >= 0 and <= MaxHours
            ? Duration.FromHours(hours)
            : throw new JsonException($"A number of hours must lie between 0 and {MaxHours}.");
    }
}
