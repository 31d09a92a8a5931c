using System;
using NodaTime;

namespace LicenseClient;

/// <summary>A state change of a <see cref="FloatingSeat"/>, or one more wait in the same state.</summary>
public sealed class SeatStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event's data.</summary>
    /// <param name="previousState">The state before.</param>
    /// <param name="state">The state now.</param>
    /// <param name="borrowedUntil">When the seat held now ends, if one is held.</param>
    /// <param name="failure">What caused the change, if a failure did.</param>
    /// <param name="retryIn">How long until the next try, when one is scheduled after a failure.</param>
    /// <param name="attempt">How many tries failed in a row so far (0 when none did).</param>
    public SeatStateChangedEventArgs(SeatState previousState, SeatState state, Instant? borrowedUntil, Exception? failure = null, TimeSpan? retryIn = null, int attempt = 0)
    {
        PreviousState = previousState;
        State = state;
        BorrowedUntil = borrowedUntil;
        Failure = failure;
        RetryIn = retryIn;
        Attempt = attempt;
    }

    /// <summary>The state before. It equals <see cref="State"/> for one more wait or retry in the same state.</summary>
    public SeatState PreviousState { get; }

    /// <summary>The state now.</summary>
    public SeatState State { get; }

    /// <summary>When the seat held now ends; <see langword="null"/> when none is held.</summary>
    public Instant? BorrowedUntil { get; }

    /// <summary>
    /// What caused the change, if a failure did: the <see cref="FloatingNotAvailableException"/> of a wait (its
    /// <see cref="LicenseApiException.ServerMessage"/> is the API's words), the out-of-reach failure of a renewal (an <see cref="ObjectDisposedException"/> when the client was disposed before the seat), or
    /// the refusal that lost the seat.
    /// </summary>
    public Exception? Failure { get; }

    /// <summary>How long until the next try, when one is scheduled after a failure.</summary>
    public TimeSpan? RetryIn { get; }

    /// <summary>How many tries failed in a row so far (0 when none did).</summary>
    public int Attempt { get; }

    /// <summary>The change, for people: <c>Held → Renewing</c>, with the failure's code when there is one.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => Failure is LicenseApiException api
            ? $"{PreviousState} → {State} ({api.ErrorCode})"
            : $"{PreviousState} → {State}";
}
