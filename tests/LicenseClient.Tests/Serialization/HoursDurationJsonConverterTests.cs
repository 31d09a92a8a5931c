using System.Text;
using System.Text.Json;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient.Tests.Serialization;

public sealed class HoursDurationJsonConverterTests
{
    [Theory]
    [InlineData("12", 12 * 60)]
    [InlineData("1.5", 90)]
    [InlineData("0.25", 15)]
    [InlineData("0", 0)]
    [InlineData("720", 720 * 60)]
    public void Reads_whole_and_fractional_hours(string json, int minutes)
        => Assert.Equal(Duration.FromMinutes(minutes), Read(json).MaxBorrowTime);

    [Theory]
    [InlineData("-1")]
    [InlineData("1e300")]
    [InlineData("\"12\"")]
    [InlineData("true")]
    public void Rejects_what_is_not_a_sensible_number_of_hours(string json)
        => Assert.Throws<JsonException>(() => Read(json));

    [Fact]
    public void Null_stays_absent()
        => Assert.Null(Read("null").MaxBorrowTime);

    private static BorrowResponseBody Read(string maxBorrowTime)
        => FloatingJson.ReadBorrow(Encoding.UTF8.GetBytes("{\"max_borrow_time\":" + maxBorrowTime + "}"))!;
}
