using System.IO;
using System.Text;
using System.Text.Json;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient.Tests.Serialization;

public sealed class InstantJsonConverterTests
{
    [Theory]
    [InlineData("2024-09-27T23:30:48.016Z", 2024, 9, 27, 23, 30, 48, 16)]
    [InlineData("2024-09-27T23:30:48Z", 2024, 9, 27, 23, 30, 48, 0)]
    [InlineData("2024-09-27T23:30:48.016", 2024, 9, 27, 23, 30, 48, 16)]
    [InlineData("2019-01-25T02:00:00.000", 2019, 1, 25, 2, 0, 0, 0)]
    [InlineData("2024-09-27 23:30:48.016", 2024, 9, 27, 23, 30, 48, 16)]
    [InlineData("2024-09-27 23:30:48", 2024, 9, 27, 23, 30, 48, 0)]
    [InlineData("2024-09-27 23:30", 2024, 9, 27, 23, 30, 0, 0)]
    [InlineData("2024-09-27", 2024, 9, 27, 0, 0, 0, 0)]
    [InlineData("2024-09-28T01:30:48.016+02:00", 2024, 9, 27, 23, 30, 48, 16)]
    [InlineData("2024-09-27T18:30:48-05:00", 2024, 9, 27, 23, 30, 48, 0)]
    [InlineData("2024-09-28T01:30:48+0200", 2024, 9, 27, 23, 30, 48, 0)]
    [InlineData("2024-09-27T23:30:48.016123Z", 2024, 9, 27, 23, 30, 48, 16)]
    public void Reads_every_documented_form_as_utc(string text, int year, int month, int day, int hour, int minute, int second, int millisecond)
    {
        Assert.True(InstantJsonConverter.TryParse(text, out Instant parsed));
        Instant expected = Instant.FromUtc(year, month, day, hour, minute, second) + Duration.FromMilliseconds(millisecond);
        Assert.Equal(expected, Instant.FromUnixTimeMilliseconds(parsed.ToUnixTimeMilliseconds()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("27/09/2024")]
    [InlineData("2024-13-01")]
    [InlineData("2024-09-27T25:00:00Z")]
    [InlineData("9999-12-31T23:59:59-05:00")]
    [InlineData("-9998-01-01T00:00:00+05:00")]
    public void Rejects_what_is_not_a_timestamp(string text)
        => Assert.False(InstantJsonConverter.TryParse(text, out _));

    [Fact]
    public void Writes_utc_with_milliseconds_and_z()
    {
        Instant value = Instant.FromUtc(2030, 1, 2, 3, 4, 5) + Duration.FromTicks(1_234_567);
        Assert.Equal("2030-01-02T03:04:05.123Z", InstantJsonConverter.Format(value));
    }

    [Theory]
    [InlineData("\"2024-09-27T23:30:48.016Z\"")]
    [InlineData("\"2024-09-27T23:30:48.016\\u005A\"")]
    [InlineData("\"0001-01-01T00:00:00.000Z\"")]
    [InlineData("\"0000-06-01T12:00:00.000Z\"")]
    [InlineData("\" 2024-09-27T23:30:48.016Z\"")]
    [InlineData("\"2024-09-27T23:30:48.016+00:00\"")]
    public void Reads_the_canonical_form_and_every_other_the_same_through_json(string json)
    {
        string text = JsonSerializer.Deserialize<string>(json)!;
        Assert.True(InstantJsonConverter.TryParse(text, out Instant expected));

        Assert.Equal(expected, ReadJson(json));
    }

    [Theory]
    [InlineData("\"2024-02-30T00:00:00.000Z\"")]
    [InlineData("\"2024-09-27T23:30:48.01xZ\"")]
    public void Refuses_what_only_looks_canonical(string json)
        => Assert.Throws<JsonException>(() => ReadJson(json));

    [Theory]
    [InlineData(2030, 1, 2, 3, 4, 5, 1_234_567, "\"2030-01-02T03:04:05.123Z\"")]
    [InlineData(1, 1, 1, 0, 0, 0, 0, "\"0001-01-01T00:00:00.000Z\"")]
    [InlineData(0, 6, 1, 12, 0, 0, 9_999_999, "\"0000-06-01T12:00:00.999Z\"")]
    public void Writes_the_same_form_inside_and_outside_the_years_of_datetime(int year, int month, int day, int hour, int minute, int second, long ticks, string expected)
    {
        Instant value = Instant.FromUtc(year, month, day, hour, minute, second) + Duration.FromTicks(ticks);
        Assert.Equal(expected, WriteJson(value));
    }

    [Fact]
    public void A_number_where_a_timestamp_belongs_is_a_json_error()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"borrowed_until\":12,\"max_borrow_time\":1,\"device_id\":1,\"license_id\":1}");
        Assert.Throws<JsonException>(() => FloatingJson.ReadBorrow(json));
    }

    private static Instant ReadJson(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Assert.True(reader.Read());
        return InstantJsonConverter.Read(ref reader);
    }

    private static string WriteJson(Instant value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            InstantJsonConverter.Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
