using NodaTime;

namespace LicenseClient.Offline;

/// <summary>How far one verified borrow answer may move the trusted-time mark.</summary>
internal static class TrustedTime
{
    /// <summary>
    /// The time a verified answer shows to have passed. The signed body bounds when the server answered: no later than
    /// <c>borrowed_until</c>, and no earlier than <c>borrowed_until − max_borrow_time</c> (the server grants no longer).
    /// The unsigned <c>Date</c> is taken only within those bounds, so a forged one can at most push the mark to the
    /// receipt's own end; without a <c>Date</c>, the signed lower bound stands.
    /// </summary>
    public static Instant Anchor(Instant? serverDate, Instant borrowedUntil, Duration maxBorrowTime)
    {
        Instant earliest = maxBorrowTime > Duration.Zero ? borrowedUntil - maxBorrowTime : borrowedUntil;
        Instant date = serverDate ?? earliest;
        return date < earliest ? earliest : date > borrowedUntil ? borrowedUntil : date;
    }

    public static Instant? Later(Instant? a, Instant? b)
        => a is null ? b : b is null ? a : Instant.Max(a.Value, b.Value);
}
