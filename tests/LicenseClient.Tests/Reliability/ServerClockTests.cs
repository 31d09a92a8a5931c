using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Http;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Reliability;

/// <summary>
/// How the client's clock follows the License API's: an offset over the one-minute tolerance is taken, one under half
/// of it puts the local clock right again, and a change is reported only when the offset turns on or off or moves by
/// more than the tolerance.
/// </summary>
public sealed class ServerClockTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 30, 12, 0);
    private readonly ServerClock _clock = new(new FakeClock(Now));

    [Fact]
    public void A_skew_over_the_tolerance_is_taken_and_reported()
    {
        Assert.True(_clock.Learn(Now + Duration.FromSeconds(61), out Duration offset));

        Assert.Equal(Duration.FromSeconds(61), offset);
        Assert.Equal(Now + Duration.FromSeconds(61), _clock.Now());
    }

    [Fact]
    public void A_skew_within_the_tolerance_is_latency_and_not_reported()
    {
        Assert.False(_clock.Learn(Now + Duration.FromSeconds(59), out Duration offset));

        Assert.Equal(Duration.Zero, offset);
        Assert.Equal(Now, _clock.Now());
    }

    [Theory]
    [InlineData(59)]
    [InlineData(31)]
    [InlineData(45)]
    public void Once_taken_a_skew_of_at_least_half_the_tolerance_is_followed_without_a_report(int seconds)
    {
        Assert.True(_clock.Learn(Now + Duration.FromSeconds(61), out _));

        Assert.False(_clock.Learn(Now + Duration.FromSeconds(seconds), out Duration offset));

        Assert.Equal(Duration.FromSeconds(seconds), offset);
    }

    [Fact]
    public void A_skew_under_half_the_tolerance_puts_the_local_clock_right_and_is_reported()
    {
        _clock.Learn(Now + Duration.FromHours(2), out _);

        Assert.True(_clock.Learn(Now + Duration.FromSeconds(29), out Duration offset));

        Assert.Equal(Duration.Zero, offset);
        Assert.Equal(Now, _clock.Now());
    }

    [Fact]
    public void A_skew_near_the_tolerance_does_not_switch_the_offset_on_and_off()
    {
        int reports = 0;
        foreach (double seconds in new[] { 60.4, 59.4, 60.2, 59.6, 60.8, 59.1 })
        {
            reports += _clock.Learn(Now + Duration.FromMilliseconds((long)(seconds * 1000)), out _) ? 1 : 0;
        }

        Assert.Equal(1, reports);
        Assert.Equal(Duration.FromMilliseconds(59_100), _clock.Offset);
    }

    [Fact]
    public void A_move_of_more_than_the_tolerance_is_reported_and_a_smaller_one_is_not()
    {
        _clock.Learn(Now + Duration.FromSeconds(90), out _);

        Assert.False(_clock.Learn(Now + Duration.FromSeconds(140), out _));
        Assert.True(_clock.Learn(Now - Duration.FromSeconds(45), out Duration offset));
        Assert.Equal(Duration.FromSeconds(-45), offset);
    }

    [Fact]
    public void A_broken_date_is_ignored()
    {
        _clock.Learn(Now + Duration.FromHours(1), out _);

        Assert.False(_clock.Learn(Now + Duration.FromDays(4000), out Duration offset));

        Assert.Equal(Duration.FromHours(1), offset);
    }

    [Fact]
    public async Task Many_threads_learning_the_same_skew_report_it_once()
    {
        int reports = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(thread => Task.Run(() =>
        {
            if (_clock.Learn(Now + Duration.FromHours(3), out _))
            {
                Interlocked.Increment(ref reports);
            }
        })));

        Assert.Equal(1, reports);
    }
}
