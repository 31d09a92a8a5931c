namespace LicenseClient;

/// <summary>Where a <see cref="FloatingSeat"/> is in its life.</summary>
/// <remarks>
/// <code>
/// Acquiring ──► Held ◄──► Renewing          (Renewing ──► Held on a new borrow)
///     │          │  └──────► Lost            (the API refused the renewal)
///     │          └─────────► Expired         (BorrowedUntil passed without a renewal)
///     ├──► Waiting ──► Held                  (every seat was taken; SeatOptions.WaitForSeat)
///     └──► HeldOffline ──► Held              (API out of reach, a valid stored receipt; online again)
/// Held, HeldOffline, Renewing ──► Released   (ReleaseAsync or DisposeAsync)
/// </code>
/// </remarks>
public enum SeatState
{
    /// <summary>Borrowing the seat (and first sending any pending release).</summary>
    Acquiring,

    /// <summary>Every seat is taken; trying again after a wait (<see cref="SeatOptions.WaitForSeat"/>).</summary>
    Waiting,

    /// <summary>The seat is held, and the License API confirmed it.</summary>
    Held,

    /// <summary>The seat is held on the strength of a valid stored receipt, because the License API could not be reached.</summary>
    HeldOffline,

    /// <summary>The seat is held and is being borrowed again before <see cref="FloatingSeat.BorrowedUntil"/>.</summary>
    Renewing,

    /// <summary>The License API refused a renewal (a license disabled or expired, say): the seat is no longer held.</summary>
    Lost,

    /// <summary><see cref="FloatingSeat.BorrowedUntil"/> passed without a renewal: the seat is no longer held.</summary>
    Expired,

    /// <summary>The seat was given back (or its release written to the journal, to be sent later).</summary>
    Released,
}
