using System;

namespace LicenseClient;

/// <summary>How a <see cref="FloatingSeat"/> waits, renews and releases.</summary>
public sealed class SeatOptions
{
    private TimeSpan? _waitTimeout;
    private TimeSpan? _renewBefore;
    private TimeSpan? _borrowFor;
    private TimeSpan _releaseTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _baseDelay = TimeSpan.FromSeconds(2);
    private TimeSpan _maxDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether <see cref="FloatingSeat.AcquireAsync"/> waits for a seat when every seat is taken
    /// (<c>floating_not_available</c>), trying again with exponential backoff and jitter until
    /// <see cref="WaitTimeout"/> or cancellation. <see langword="false"/> (the default): it throws
    /// <see cref="FloatingNotAvailableException"/> at once.
    /// </summary>
    public bool WaitForSeat { get; set; }

    /// <summary>
    /// How long to wait for a seat at most, when <see cref="WaitForSeat"/> is set; then
    /// <see cref="FloatingNotAvailableException"/>. <see langword="null"/> (the default): until cancelled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan? WaitTimeout
    {
        get => _waitTimeout;
        set => _waitTimeout = value is null ? null : Positive(value.Value, nameof(WaitTimeout), TimeSpan.MaxValue);
    }

    /// <summary>
    /// The first wait between tries, when waiting for a seat or retrying a renewal the API could not answer; each
    /// wait doubles, ±20 %, up to <see cref="MaxDelay"/>, as <see cref="LicenseRetryOptions"/> does. Default 2 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or more than a day.</exception>
    public TimeSpan BaseDelay
    {
        get => _baseDelay;
        set => _baseDelay = Positive(value, nameof(BaseDelay), TimeSpan.FromDays(1));
    }

    /// <summary>The longest wait between tries. Default 1 minute.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or more than a day.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set => _maxDelay = Positive(value, nameof(MaxDelay), TimeSpan.FromDays(1));
    }

    /// <summary>
    /// How long before <see cref="FloatingSeat.BorrowedUntil"/> the seat is borrowed again. <see langword="null"/>
    /// (the default): a tenth of the borrow, at most 1 hour. A margin of half the borrow or more renews at half the borrow.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan? RenewBefore
    {
        get => _renewBefore;
        set => _renewBefore = value is null ? null : Positive(value.Value, nameof(RenewBefore), TimeSpan.MaxValue);
    }

    /// <summary>
    /// How long each borrow asks for (<c>borrowed_until</c> = now + this). <see langword="null"/> (the default): the
    /// license's maximum borrow time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan? BorrowFor
    {
        get => _borrowFor;
        set => _borrowFor = value is null ? null : Positive(value.Value, nameof(BorrowFor), TimeSpan.MaxValue);
    }

    /// <summary>
    /// How long <see cref="FloatingSeat.ReleaseAsync"/> and <see cref="FloatingSeat.DisposeAsync"/> try to give the seat
    /// back before they write the release to the journal instead. Default 10 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or more than an hour.</exception>
    public TimeSpan ReleaseTimeout
    {
        get => _releaseTimeout;
        set => _releaseTimeout = Positive(value, nameof(ReleaseTimeout), TimeSpan.FromHours(1));
    }

    /// <summary>
    /// Where receipts and the journal of pending releases are kept. <see langword="null"/> (the default): the client's
    /// <see cref="LicenseClientOptions.ReceiptStore"/> (or the container's <see cref="IBorrowReceiptStore"/>), when the
    /// client is this library's. Without a store, a seat cannot start offline, recover after a crash or journal a
    /// failed release. Set it to the store the client saves receipts to.
    /// </summary>
    public IBorrowReceiptStore? ReceiptStore { get; set; }

    /// <summary>
    /// What checks a stored receipt for an offline start. <see langword="null"/> (the default): a checker with the
    /// client's <see cref="LicenseClientOptions.ServerPublicKey"/> and clock, when the client is this library's; else
    /// one with the production key.
    /// </summary>
    public BorrowReceiptChecker? ReceiptChecker { get; set; }

    /// <summary>
    /// The time source of the seat's waits and renewals. <see langword="null"/> (the default): the client's
    /// <see cref="LicenseClientOptions.TimeProvider"/> when the client is this library's, else <see cref="TimeProvider.System"/>.
    /// Tests drive it with a fake time provider.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// A handler for every state change, subscribed before <see cref="FloatingSeat.AcquireAsync"/> starts, so it also
    /// sees each <see cref="SeatState.Waiting"/> and the first change out of <see cref="SeatState.Acquiring"/> (the state a
    /// seat starts in, which raises no change of its own). See <see cref="FloatingSeat.StateChanged"/>.
    /// </summary>
    public EventHandler<SeatStateChangedEventArgs>? StateChanged { get; set; }

    internal Func<double> Random { get; set; } = Internal.Jitter.Next;

    internal string? FindProblem()
        => MaxDelay < BaseDelay ? $"SeatOptions.MaxDelay ({MaxDelay}) must not be shorter than SeatOptions.BaseDelay ({BaseDelay})." : null;

    private static TimeSpan Positive(TimeSpan value, string name, TimeSpan max)
        => value > TimeSpan.Zero && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, value, max == TimeSpan.MaxValue ? name + " must be positive." : $"{name} must be positive and at most {max}.");
}
