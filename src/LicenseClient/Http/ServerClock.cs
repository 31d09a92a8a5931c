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

    public ServerClock(IClock clock) => _clock = clock;

    /// <summary>How far the server's clock is ahead of the local one (negative: behind), as last learned.</summary>
    public Duration Offset => Duration.FromNanoseconds(Interlocked.Read(ref _offsetNanoseconds));

    /// <summary>The server's time now, as best known.</summary>
    public Instant Now() => _clock.GetCurrentInstant() + Offset;

    /// <summary>Whether a difference between two clocks could be a wrong clock; a larger one is a broken <c>Date</c> header.</summary>
    public static bool IsPlausible(Duration skew) => Duration.Max(skew, -skew) <= Implausible;

    /// <summary>
    /// Learns from an answer's <c>Date</c>: the offset becomes the difference to the local clock when that
    /// is more than <see cref="Tolerance"/>, and zero otherwise (the local clock has been put right).
    /// </summary>
    /// <returns>
    /// Whether the offset changed by more than <see cref="Tolerance"/>, or from or to zero: a change worth reporting,
    /// not the latency of one more answer.
    /// </returns>
    public bool Learn(Instant serverDate)
    {
        Duration skew = serverDate - _clock.GetCurrentInstant();
        if (!IsPlausible(skew))
        {
            return false;
        }

        long offset = Duration.Max(skew, -skew) > Tolerance ? (long)skew.TotalNanoseconds : 0;
        long before = Interlocked.Exchange(ref _offsetNanoseconds, offset);
        return (before == 0) != (offset == 0) || Math.Abs(offset - before) > (long)Tolerance.TotalNanoseconds;
    }
}
