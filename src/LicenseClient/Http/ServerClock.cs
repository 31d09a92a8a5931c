using System;
using System.Threading;
using NodaTime;

namespace LicenseClient.Http;

/// <summary>
/// The client's clock corrected to the License API's: it learns the offset from the <c>Date</c> header of
/// every answer, so a computer whose clock is wrong still sends a <c>Date</c> the server accepts. Safe to use
/// from many threads.
/// </summary>
internal sealed class ServerClock
{
    /// <summary>Differences up to this much are latency and rounding, not a wrong clock.</summary>
    public static readonly Duration Tolerance = Duration.FromMinutes(1);

    /// <summary>A difference larger than this is a broken <c>Date</c> header, not a wrong clock.</summary>
    private static readonly Duration Implausible = Duration.FromDays(3650);

    private readonly IClock _clock;
    private long _offsetNanoseconds;

    /// <summary>The offset as last reported by <see cref="Learn"/>.</summary>
    private long _reportedNanoseconds;

    public ServerClock(IClock clock) => _clock = clock;

    /// <summary>How far the server's clock is ahead of the local one (negative: behind), as last learned.</summary>
    public Duration Offset => Duration.FromNanoseconds(Interlocked.Read(ref _offsetNanoseconds));

    /// <summary>The server's time now, as best known.</summary>
    public Instant Now() => _clock.GetCurrentInstant() + Offset;

    /// <summary>Whether a difference between two clocks could be a wrong clock; a larger one is a broken <c>Date</c> header.</summary>
    public static bool IsPlausible(Duration skew) => Duration.Max(skew, -skew) <= Implausible;

    /// <summary>
    /// Learns from an answer's <c>Date</c>: the offset becomes the difference to the local clock when that is more
    /// than <see cref="Tolerance"/>. It goes back to zero (the local clock has been put right) only when the
    /// difference is under half the tolerance, so a difference close to the tolerance does not switch the offset on
    /// and off from one answer to the next.
    /// </summary>
    /// <param name="serverDate">The answer's <c>Date</c>.</param>
    /// <param name="offset">The offset now.</param>
    /// <returns>
    /// Whether the offset is worth reporting: it turned on or off, or moved by more than <see cref="Tolerance"/> since
    /// it was last reported; not the latency of one more answer.
    /// </returns>
    public bool Learn(Instant serverDate, out Duration offset)
    {
        Duration skew = serverDate - _clock.GetCurrentInstant();
        long before = Interlocked.Read(ref _offsetNanoseconds);
        if (!IsPlausible(skew))
        {
            offset = Duration.FromNanoseconds(before);
            return false;
        }

        long tolerance = (long)Tolerance.TotalNanoseconds;
        long skewNanoseconds = (long)skew.TotalNanoseconds;
        long distance = Math.Abs(skewNanoseconds);
        long next = distance > tolerance || (before != 0 && distance >= tolerance / 2) ? skewNanoseconds : 0;
        Interlocked.Exchange(ref _offsetNanoseconds, next);
        offset = Duration.FromNanoseconds(next);

        long reported = Interlocked.Read(ref _reportedNanoseconds);
        bool worthReporting = (reported == 0) != (next == 0) || Math.Abs(next - reported) > tolerance;
        return worthReporting && Interlocked.CompareExchange(ref _reportedNanoseconds, next, reported) == reported;
    }
}
