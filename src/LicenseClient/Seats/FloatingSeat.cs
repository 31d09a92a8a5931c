using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Seats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// One floating seat, of a license or of a feature, for one hardware id, that looks after itself: it waits for a free
/// seat if asked to, borrows again before <see cref="BorrowedUntil"/>, starts offline from a stored receipt when the
/// License API is out of reach, and gives the seat back on <see cref="ReleaseAsync"/> or <see cref="DisposeAsync"/>.
/// A release that cannot be sent is written to the receipt store's journal and sent by the next
/// <see cref="AcquireAsync"/>, as is the seat of a process that ended without releasing. Until that release is sent, the
/// API still counts the seat, so its receipt stays in the store and an offline start may use it.
/// </summary>
/// <remarks>
/// <para>
/// Acquire one with <see cref="AcquireAsync"/> (or through <c>services.AddLicenseSeat(...)</c>). Its members are
/// thread-safe. <see cref="StateChanged"/> is raised on the <see cref="SynchronizationContext"/> that was current when
/// <see cref="AcquireAsync"/> was called (a UI thread's, say), so a handler may touch the UI directly.
/// </para>
/// <para>The states are those of <see cref="SeatState"/>, whose remarks draw how one leads to another.</para>
/// </remarks>
public sealed class FloatingSeat : IAsyncDisposable
{
    private readonly ILicenseApiClient _client;
    private readonly SeatRequest _request;
    private readonly LicenseCredential _releaseCredential;
    private readonly IBorrowReceiptStore? _store;
    private readonly SeatDefaults? _defaults;
    private readonly BorrowReceiptChecker? _checker;
    private readonly TimeProvider _time;
    private readonly SynchronizationContext? _context;
    private readonly bool _waitForSeat;
    private readonly TimeSpan? _waitTimeout;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan? _renewBefore;
    private readonly TimeSpan? _borrowFor;
    private readonly TimeSpan _releaseTimeout;
    private readonly Func<double> _random;
    /// <summary>The shortest wait before a renewal, however short the borrow: no renewal loop on a borrow of a few seconds.</summary>
    private static readonly Duration MinimumRenewal = Duration.FromSeconds(1);

    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(EventHandler<SeatStateChangedEventArgs> Handler, SeatStateChangedEventArgs Change)> _posted = new();
    private SeatState _state = SeatState.Acquiring;
    private Instant? _borrowedUntil;
    private Instant _localEnd;
    private Duration? _serverOffset;
    private volatile bool _journalChecked;
    private int _draining;
    private LicenseApiException? _failure;
    private Task _renewals = Task.CompletedTask;
    private Task<bool>? _release;
    private readonly ILogger _logger;

    private FloatingSeat(ILicenseApiClient client, SeatRequest request, SeatOptions options)
    {
        _client = client;
        _request = request;
        _releaseCredential = request.EffectiveReleaseCredential;
        _defaults = client switch
        {
            LicenseApiClient ours => ours.SeatDefaults,
            LicenseApiCalls calls => calls.SeatDefaults,
            _ => null,
        };
        _store = options.ReceiptStore ?? _defaults?.ReceiptStore;
        _logger = _defaults?.Logger ?? NullLogger.Instance;
        _checker = options.ReceiptChecker;
        _time = options.TimeProvider ?? _defaults?.TimeProvider ?? TimeProvider.System;
        _context = SynchronizationContext.Current;
        _waitForSeat = options.WaitForSeat;
        _waitTimeout = options.WaitTimeout;
        _baseDelay = options.BaseDelay;
        _maxDelay = options.MaxDelay;
        _renewBefore = options.RenewBefore;
        _borrowFor = options.BorrowFor;
        _releaseTimeout = options.ReleaseTimeout;
        _random = options.Random;
        StateChanged += options.StateChanged;

        // A credential that cannot borrow is refused here, before any I/O.
        _ = BorrowRequestFor(null);
    }

    /// <summary>
    /// Raised on every state change, and on each further wait or retry in the same state (then
    /// <see cref="SeatStateChangedEventArgs.PreviousState"/> equals <see cref="SeatStateChangedEventArgs.State"/>).
    /// </summary>
    /// <remarks>
    /// Raised on the <see cref="SynchronizationContext"/> that was current when <see cref="AcquireAsync"/> was called, or,
    /// without one, on the thread that made the change, in order. Without a context an exception thrown by a handler
    /// is caught, so that it cannot stop the seat's renewals; with one, it surfaces on that context as any event's does.
    /// </remarks>
    public event EventHandler<SeatStateChangedEventArgs>? StateChanged;

    /// <summary>The seat's state now.</summary>
    public SeatState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Whether the seat is held now: <see cref="SeatState.Held"/>, <see cref="SeatState.HeldOffline"/> or <see cref="SeatState.Renewing"/>.</summary>
    public bool IsHeld => State is SeatState.Held or SeatState.HeldOffline or SeatState.Renewing;

    /// <summary>When the seat held now ends, unless it is renewed; <see langword="null"/> when none is held.</summary>
    public Instant? BorrowedUntil
    {
        get
        {
            lock (_gate)
            {
                return _borrowedUntil;
            }
        }
    }

    /// <summary>
    /// Why the seat was lost or expired: the refusal that moved it to <see cref="SeatState.Lost"/> (such as
    /// <see cref="LicenseNotEnabledException"/>), or the last failure before <see cref="SeatState.Expired"/>;
    /// otherwise (or when that failure was the client's disposal) <see langword="null"/>.
    /// </summary>
    public LicenseApiException? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>What the seat holds.</summary>
    public SeatRequest Request => _request;

    /// <summary>
    /// Acquires a seat: sends the releases pending in the receipt store's journal for this product and hardware id,
    /// releases a seat a previous process held and never gave back (its receipt is still stored), then borrows.
    /// </summary>
    /// <param name="client">The client that borrows and releases.</param>
    /// <param name="request">What seat to hold.</param>
    /// <param name="options">How to wait, renew and release; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the acquisition, waits for a seat included.</param>
    /// <returns>The seat, <see cref="SeatState.Held"/> or <see cref="SeatState.HeldOffline"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The options contradict each other, or the request's credentials cannot borrow or release.</exception>
    /// <exception cref="FloatingNotAvailableException">Every seat is taken (after <see cref="SeatOptions.WaitTimeout"/>, when waiting).</exception>
    /// <exception cref="OfflineSeatRefusedException">The API could not be reached and the stored receipt gives no offline seat.</exception>
    /// <exception cref="LicenseApiException">The API refused the borrow, or could not be reached and there is no receipt store.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<FloatingSeat> AcquireAsync(ILicenseApiClient client, SeatRequest request, SeatOptions? options = null, CancellationToken cancellationToken = default)
    {
        FloatingSeat seat = Create(client, request, options);
        return seat.AcquireAndReturnAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the release pending in the receipt store's journal for <paramref name="request"/>'s seat (its product,
    /// feature and hardware id), with its release credential, and removes it once the API has the seat back or says it
    /// holds none. <see cref="AcquireAsync"/> does this first.
    /// </summary>
    /// <param name="client">The client that releases.</param>
    /// <param name="request">The product, hardware id and credential to release with.</param>
    /// <param name="options">Where the journal is (<see cref="SeatOptions.ReceiptStore"/>); <see langword="null"/> for the client's store.</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>How many releases the API took (0 or 1); an entry the API did not answer, or refused, stays in the journal.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The request's credentials cannot release.</exception>
    public static Task<int> ReleasePendingAsync(ILicenseApiClient client, SeatRequest request, SeatOptions? options = null, CancellationToken cancellationToken = default)
        => Create(client, request, options).SendPendingAsync(cancellationToken);

    /// <summary>
    /// Stops renewing and gives the seat back, within <see cref="SeatOptions.ReleaseTimeout"/>. A release the API could
    /// not be reached for (offline, timed out, a 5xx, or the client already disposed) is written to the receipt store's journal and sent by the next
    /// <see cref="AcquireAsync"/>. Calling it again returns the first call's result.
    /// </summary>
    /// <param name="cancellationToken">Gives up on the release early; it is then journalled.</param>
    /// <returns>
    /// <see langword="true"/> when the API has the seat back (or no seat was held); <see langword="false"/> when the
    /// release was journalled, or, without a receipt store, left to end at <see cref="BorrowedUntil"/>.
    /// </returns>
    /// <exception cref="IOException">The release could not be sent, nor written to the journal.</exception>
    /// <exception cref="UnauthorizedAccessException">The release could not be sent, and the journal may not be written.</exception>
    public Task<bool> ReleaseAsync(CancellationToken cancellationToken = default)
    {
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool>? first = Interlocked.CompareExchange(ref _release, release.Task, null);
        if (first is not null)
        {
            return first;
        }

        _ = RunReleaseAsync(release, cancellationToken);
        return release.Task;
    }

    /// <summary>
    /// Releases the seat as <see cref="ReleaseAsync"/> does, and never throws: a release that could be neither sent nor
    /// journalled leaves the seat to end at <see cref="BorrowedUntil"/>.
    /// </summary>
    /// <returns>A task that completes when the seat is released.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Neither sent nor journalled (the store failed): the API frees the seat at BorrowedUntil by itself.
        }
    }

    /// <summary>The seat, for people: product, feature, state and end.</summary>
    /// <returns>The description; never a credential.</returns>
    public override string ToString()
    {
        Instant? until = BorrowedUntil;
        string what = _request.Feature is null ? _request.Product : _request.Product + ", feature " + _request.Feature;
        return until is Instant end ? $"Seat of {what}: {State} until {end}" : $"Seat of {what}: {State}";
    }

    private static FloatingSeat Create(ILicenseApiClient client, SeatRequest request, SeatOptions? options)
    {
        Guard.NotNull(client, nameof(client));
        Guard.NotNull(request, nameof(request));
        options ??= new SeatOptions();
        if (options.FindProblem() is string problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        return new FloatingSeat(client, request, options);
    }

    private Instant Now => Instant.FromDateTimeOffset(_time.GetUtcNow());

    private BorrowReceiptChecker Checker => _checker ?? new BorrowReceiptChecker(_defaults?.ServerPublicKey, _defaults?.Clock ?? new TimeProviderClock(_time));

    private async Task<FloatingSeat> AcquireAndReturnAsync(CancellationToken cancellationToken)
    {
        Instant? deadline = _waitTimeout is TimeSpan timeout ? Now + Duration.FromTimeSpan(timeout) : null;
        if (_store is not null)
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            await ReleaseStaleAsync(_store, cancellationToken).ConfigureAwait(false);
        }

        int waits = 0;
        FloatingNotAvailableException? refused = null;
        while (true)
        {
            try
            {
                Instant borrowedAt = Now;
                Borrowed borrowed = await BorrowOrJournalAsync(cancellationToken).ConfigureAwait(false);
                Become(SeatState.Held, borrowed.Until, borrowed.ReceiptFailure, localEnd: borrowedAt + borrowed.Length);
                _renewals = RenewAsync(RenewAt(borrowedAt, borrowed.Length));
                return this;
            }
            catch (LicenseApiException ex) when (_waitForSeat && (ex is FloatingNotAvailableException || (waits > 0 && IsOutOfReach(ex))))
            {
                // Every seat taken; or, once waiting, the API out of reach for a while: one more step of the wait.
                refused = ex as FloatingNotAvailableException ?? refused;
                Instant now = Now;
                if (deadline is Instant end && now >= end)
                {
                    // At the deadline the seats were last seen all taken, even if the very last try found the API away.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(refused ?? ex).Throw();
                }

                TimeSpan wait = Backoff(waits++);
                if (deadline is Instant last && now + Duration.FromTimeSpan(wait) > last)
                {
                    wait = (last - now).ToTimeSpan();
                }

                // The next try is due RetryIn after the wait is reported, however long the handlers take.
                Instant retryAt = now + Duration.FromTimeSpan(wait);
                Become(SeatState.Waiting, null, ex, wait, waits);
                await DelayAsync(retryAt - Now, cancellationToken).ConfigureAwait(false);
            }
            catch (LicenseApiException ex) when (_store is not null && IsOutOfReach(ex))
            {
                Instant until = await StartOfflineAsync(_store, ex, cancellationToken).ConfigureAwait(false);
                TimeSpan retry = Backoff(0);
                Instant retryAt = Now + Duration.FromTimeSpan(retry);

                // Offline the computer's clock is all there is; the check has made sure it was not wound back.
                Become(SeatState.HeldOffline, until, ex, retry, 1, localEnd: until);
                _renewals = RenewAsync(retryAt, 1);
                return this;
            }
        }
    }

    /// <summary>
    /// Borrows once for <see cref="AcquireAsync"/>. A borrow cancelled in flight may have been granted with its answer
    /// never read: its release is journalled, so the next start gives that seat back (a release of no seat is harmless).
    /// </summary>
    private async Task<Borrowed> BorrowOrJournalAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await BorrowOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_store is not null && cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _store.SavePendingReleaseAsync(PendingReleaseNow(until: null), CancellationToken.None).ConfigureAwait(false);
                Log.ReleaseJournalled(_logger, _request.Product, Log.FeatureSuffix(_request.Feature), "cancelled");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Then the seat, if granted, lapses at its end.
            }

            throw;
        }
    }

    /// <summary>
    /// Releases the seat of a receipt left in the store by a process that held it and never gave it back. When the API
    /// cannot be reached the receipt stays, for an offline start: the API still counts that seat.
    /// </summary>
    private async Task ReleaseStaleAsync(IBorrowReceiptStore store, CancellationToken cancellationToken)
    {
        ReceiptLoadResult load = await store.LoadAsync(_request.Product, _request.Feature, cancellationToken).ConfigureAwait(false);
        if (load.Receipt is not BorrowReceipt receipt || !string.Equals(receipt.HardwareId, _request.HardwareId, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            await ReleaseKeepingReceiptAsync(_request.Feature, _request.LicenseId, _request.BundleCode, cancellationToken).ConfigureAwait(false);
        }
        catch (LicenseApiException)
        {
            // Not in use: nothing to give back. Out of reach or refused: the receipt is back in the store, and the
            // borrow that follows (or an offline start from that receipt) decides.
        }
    }

    /// <summary>
    /// Checks the stored receipt for an offline start (which also moves the trusted-time mark); returns when its borrow
    /// ends, or throws why it gives no seat.
    /// </summary>
    private async Task<Instant> StartOfflineAsync(IBorrowReceiptStore store, LicenseApiException unreachable, CancellationToken cancellationToken)
    {
        ReceiptCheck check = await Checker.CheckStoredAsync(store, _request.Product, _request.HardwareId, _request.Feature, cancellationToken).ConfigureAwait(false);
        if (check.IsValid && check.BorrowedUntil is Instant until)
        {
            return until;
        }

        Log.ReceiptRefused(_logger, unreachable.ErrorCode, _request.Product, Log.FeatureSuffix(_request.Feature), check.Status.ToString());
        throw new OfflineSeatRefusedException(unreachable, check);
    }

    /// <summary>Renews from <paramref name="firstTry"/> on; <paramref name="failures"/> tries have failed already (an offline start's borrow).</summary>
    private async Task RenewAsync(Instant firstTry, int failures = 0)
    {
        // The renewals' spans are traces of their own, not children of whatever span was current when the seat was
        // acquired (a request's, an application start's) and has long ended. This flow only: the caller's is untouched.
        System.Diagnostics.Activity.Current = null;
        CancellationToken stopping = _stopping.Token;
        Instant next = firstTry;
        try
        {
            while (true)
            {
                await DelayAsync(next - Now, stopping).ConfigureAwait(false);
                SeatState before;
                Instant until;
                Instant end;
                lock (_gate)
                {
                    before = _state;
                    until = _borrowedUntil!.Value;
                    end = _localEnd;
                }

                if (before == SeatState.Held)
                {
                    Become(SeatState.Renewing, until);
                }

                Instant borrowedAt = Now;
                try
                {
                    Borrowed renewed = await BorrowOnceAsync(stopping).ConfigureAwait(false);
                    failures = 0;
                    Become(SeatState.Held, renewed.Until, renewed.ReceiptFailure, localEnd: borrowedAt + renewed.Length);
                    next = RenewAt(borrowedAt, renewed.Length);
                }
                catch (LicenseApiException ex) when (!IsOutOfReach(ex))
                {
                    // The API refused the seat (a license disabled, say): its receipt must not start it offline any more.
                    await ForgetReceiptAsync().ConfigureAwait(false);
                    Become(SeatState.Lost, null, ex);
                    return;
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // Out of reach, the client disposed before the seat, or any other failure that is not the API's refusal:
                    // the seat is the API's until it ends, so keep trying until then.
                    Instant now = Now;
                    if (now >= end)
                    {
                        Become(SeatState.Expired, null, ex);
                        return;
                    }

                    Duration wait = Duration.Min(Duration.FromTimeSpan(Backoff(failures++)), end - now);
                    Become(before, until, ex, wait.ToTimeSpan(), failures);
                    next = now + wait;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Released: the release takes it from here.
        }
    }

    private async Task ForgetReceiptAsync()
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            await _store.DeleteAsync(_request.Product, _request.Feature, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in place: it ends at its BorrowedUntil, and the next borrow replaces it.
        }
    }

    /// <summary>
    /// When to borrow again: <paramref name="length"/> after <paramref name="borrowedAt"/> (on this computer's clock),
    /// less the margin (<see cref="SeatOptions.RenewBefore"/>, or a tenth of the borrow, at most 1 hour; never more than half).
    /// </summary>
    private Instant RenewAt(Instant borrowedAt, Duration length)
    {
        Duration margin = _renewBefore is TimeSpan before
            ? Duration.FromTimeSpan(before)
            : Duration.Min(length / 10, Duration.FromHours(1));
        return borrowedAt + Duration.Max(length - Duration.Min(margin, length / 2), MinimumRenewal);
    }

    /// <summary>
    /// Borrows once. The borrow's length is measured on the server's clock (its end less the answer's <c>Date</c>), so
    /// that a computer clock set wrong neither renews in a loop nor lets the seat lapse.
    /// </summary>
    private async Task<Borrowed> BorrowOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await BorrowUntilAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BorrowUntilNotValidException) when (_borrowFor is not null)
        {
            // The end was set by a clock the refusal has just corrected (the client learns the server's time from it).
            return await BorrowUntilAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Borrowed> BorrowUntilAsync(CancellationToken cancellationToken)
    {
        Instant? until = _borrowFor is TimeSpan period ? ServerNow + Duration.FromTimeSpan(period) : null;
        try
        {
            Borrowed borrowed = BorrowRequestFor(until) switch
            {
                BorrowRequest license => Measure(await _client.BorrowAsync(license, cancellationToken).ConfigureAwait(false), null),
                FeatureBorrowRequest feature => Measure(await _client.BorrowFeatureAsync(feature, cancellationToken).ConfigureAwait(false), null),
                _ => throw new InvalidOperationException("Unreachable: a seat borrows a license or a feature."),
            };
            await ForgetPendingAsync().ConfigureAwait(false);
            return borrowed;
        }
        catch (ReceiptNotSavedException ex)
        {
            // The seat is held; only its receipt is missing, which the state change reports.
            await ForgetPendingAsync().ConfigureAwait(false);
            return ex.BorrowedLicense is BorrowedLicense license ? Measure(license, ex) : Measure(ex.BorrowedFeature!, ex);
        }
    }

    /// <summary>
    /// Removes this seat's journalled release after a borrow: the API holds the seat again, and an old release sent
    /// later would give back the seat now held.
    /// </summary>
    private async Task ForgetPendingAsync()
    {
        // Once is enough: after this seat's first borrow only its own release writes an entry for it, and that ends it.
        if (_store is null || _journalChecked)
        {
            return;
        }

        try
        {
            foreach (PendingRelease release in await _store.LoadPendingReleasesAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (IsThisSeat(release))
                {
                    await _store.DeletePendingReleaseAsync(release, CancellationToken.None).ConfigureAwait(false);
                }
            }

            _journalChecked = true;
        }
        catch (Exception)
        {
            // Best effort, after the seat was granted: left in place, it is sent at the next start, when this process no
            // longer holds the seat.
        }
    }

    private bool IsThisSeat(PendingRelease release)
        => string.Equals(release.Product, _request.Product, StringComparison.Ordinal)
           && string.Equals(release.HardwareId, _request.HardwareId, StringComparison.Ordinal)
           && string.Equals(release.Feature, _request.Feature, StringComparison.Ordinal);

    private PendingRelease PendingReleaseNow(Instant? until)
        => new(_request.Product, _request.HardwareId, _request.Feature, until, Now) { LicenseId = _request.LicenseId, BundleCode = _request.BundleCode };

    /// <summary>
    /// The server's time now: this computer's clock plus the offset the seat's last answer showed, or before any, the
    /// server's time as the client has learned it (this computer's clock when the client is not this library's).
    /// </summary>
    private Instant ServerNow
    {
        get
        {
            Duration? offset;
            lock (_gate)
            {
                offset = _serverOffset;
            }

            return offset is Duration measured ? Now + measured : _defaults?.ServerClock.Now() ?? Now;
        }
    }

    private Borrowed Measure(BorrowedLicense borrowed, LicenseApiException? receiptFailure)
        => new(borrowed.BorrowedUntil, LengthOf(borrowed.BorrowedUntil, borrowed.MaxBorrowTime, borrowed.Receipt), receiptFailure);

    private Borrowed Measure(BorrowedFeature borrowed, LicenseApiException? receiptFailure)
        => new(borrowed.BorrowedUntil, LengthOf(borrowed.BorrowedUntil, borrowed.MaxBorrowTime, borrowed.Receipt), receiptFailure);

    private Duration LengthOf(Instant until, Duration maxBorrowTime, BorrowReceipt? receipt)
    {
        Duration length;
        if (receipt?.ServerDate is Instant served)
        {
            lock (_gate)
            {
                _serverOffset = served - Now;
            }

            length = until - served;
        }
        else
        {
            // No Date: what was asked for, and, once the server's time is known, no longer than what is left of it.
            Duration asked = _borrowFor is TimeSpan period ? Duration.Min(Duration.FromTimeSpan(period), maxBorrowTime) : maxBorrowTime;
            bool measured;
            lock (_gate)
            {
                measured = _serverOffset is not null;
            }

            length = measured ? Duration.Min(asked, until - ServerNow) : asked;
        }

        return Duration.Max(length, Duration.Zero);
    }

    private FloatingRequest BorrowRequestFor(Instant? until)
        => _request.Feature is string feature
            ? new FeatureBorrowRequest(_request.Product, feature, _request.HardwareId, _request.Credential)
            {
                LicenseId = _request.LicenseId,
                BundleCode = _request.BundleCode,
                BorrowedUntil = until,
            }
            : new BorrowRequest(_request.Product, _request.HardwareId, _request.Credential)
            {
                LicenseId = _request.LicenseId,
                BundleCode = _request.BundleCode,
                BorrowedUntil = until,
            };

    /// <summary>
    /// Sends a release. The client deletes the stored receipt before it sends; when the release got no answer (out of
    /// reach, timed out, given up on) or was never sent, the receipt is put back, because the API may still count the
    /// seat: an offline start may use it until the journalled release is sent. A refusal is an answer: a license
    /// disabled or expired must not start offline from its receipt.
    /// </summary>
    private async Task ReleaseKeepingReceiptAsync(string? feature, long? licenseId, string? bundleCode, CancellationToken cancellationToken)
    {
        BorrowReceipt? receipt = _store is null ? null : (await _store.LoadAsync(_request.Product, feature, cancellationToken).ConfigureAwait(false)).Receipt;
        try
        {
            await SendReleaseAsync(feature, licenseId, bundleCode, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (receipt is not null && IsOutcomeUnknown(ex))
        {
            try
            {
                await _store!.SaveAsync(receipt, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception saveFailure) when (saveFailure is IOException or UnauthorizedAccessException)
            {
                // Then no offline start from it; the release is still journalled.
            }

            throw;
        }
    }

    private Task SendReleaseAsync(string? feature, long? licenseId, string? bundleCode, CancellationToken cancellationToken)
        => feature is null
            ? _client.ReleaseAsync(
                new ReleaseRequest(_request.Product, _request.HardwareId, _releaseCredential) { LicenseId = licenseId, BundleCode = bundleCode },
                cancellationToken)
            : _client.ReleaseFeatureAsync(
                new FeatureReleaseRequest(_request.Product, feature, _request.HardwareId, _releaseCredential) { LicenseId = licenseId, BundleCode = bundleCode },
                cancellationToken);

    private async Task<int> SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return 0;
        }

        IReadOnlyList<PendingRelease> pending = await _store.LoadPendingReleasesAsync(cancellationToken).ConfigureAwait(false);
        int sent = 0;
        foreach (PendingRelease release in pending)
        {
            if (!IsThisSeat(release))
            {
                continue;
            }

            try
            {
                await ReleaseKeepingReceiptAsync(release.Feature, release.LicenseId, release.BundleCode, cancellationToken).ConfigureAwait(false);
                sent++;
                Log.JournalledReleaseSent(_logger, release.Product, Log.FeatureSuffix(release.Feature));
            }
            catch (LicenseApiException ex) when (IsAlreadyFree(ex))
            {
                // The API holds no such seat: the entry has done its work.
            }
            catch (Exception ex) when (ex is LicenseApiException or ObjectDisposedException)
            {
                // Out of reach or refused: the seat may still be counted, so the entry stays for the next time.
                continue;
            }

            await _store.DeletePendingReleaseAsync(release, cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    private async Task RunReleaseAsync(TaskCompletionSource<bool> release, CancellationToken cancellationToken)
    {
        try
        {
            _stopping.Cancel();

            // The renewals end on the cancellation; WhenAny never throws, so nothing there can skip the release.
            await Task.WhenAny(_renewals).ConfigureAwait(false);
            bool held = IsHeld;
            bool given = !held || await GiveBackAsync(cancellationToken).ConfigureAwait(false);
            if (held && given && _logger.IsEnabled(LogLevel.Information))
            {
                Log.SeatReleased(_logger, _request.Product, Log.FeatureSuffix(_request.Feature));
            }

            Become(SeatState.Released, null);
            release.SetResult(given);
        }
        catch (Exception ex)
        {
            Become(SeatState.Released, null);
            release.SetException(ex);
        }
    }

    private async Task<bool> GiveBackAsync(CancellationToken cancellationToken)
    {
        Instant? until = BorrowedUntil;
        try
        {
            using CancellationTokenSource timeout = CreateTimeout(_releaseTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await ReleaseKeepingReceiptAsync(_request.Feature, _request.LicenseId, _request.BundleCode, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (LicenseApiException ex) when (IsAlreadyFree(ex))
        {
            // The API holds no such seat: nothing to give back.
            return true;
        }
        catch (Exception ex) when (ex is LicenseApiException or OperationCanceledException or ObjectDisposedException)
        {
            // Out of reach, refused, timed out or given up on (whether it arrived is unknown), or the client disposed
            // before the seat: the API may still count the seat, so the release is journalled below and sent again later
            // (a second release of a seat already given back is harmless).
            if (_store is null)
            {
                return false;
            }

            await _store.SavePendingReleaseAsync(PendingReleaseNow(until), CancellationToken.None).ConfigureAwait(false);
            Log.ReleaseJournalled(_logger, _request.Product, Log.FeatureSuffix(_request.Feature), Telemetry.ErrorTypeOf(ex));
            return false;
        }
    }

    /// <summary>Whether a release failed without an answer that decides it: out of reach, given up on, or never sent.</summary>
    private static bool IsOutcomeUnknown(Exception exception)
        => exception is OperationCanceledException or ObjectDisposedException
           || (exception is LicenseApiException api && (IsOutOfReach(api) || api.ErrorCode == LicenseErrorCodes.ReceiptNotDeleted));

    /// <summary>Whether a release's refusal says the API holds no such seat, so that nothing is left to give back.</summary>
    private static bool IsAlreadyFree(LicenseApiException exception)
        => exception.ErrorCode is LicenseErrorCodes.DeviceNotFound or LicenseErrorCodes.FloatingFeatureDeviceNotInUse or LicenseErrorCodes.LicenseNotFound
            or LicenseErrorCodes.UnknownProduct or LicenseErrorCodes.InvalidLicenseFeatureCode or LicenseErrorCodes.FeatureNotFloating;

    /// <summary>Whether the API could not be reached or could not answer: no connection, a timeout, a 5xx or a rate limit, after the client's retries.</summary>
    private static bool IsOutOfReach(LicenseApiException exception)
        => exception.ErrorCode is LicenseErrorCodes.ConnectionFailed or LicenseErrorCodes.Timeout or LicenseErrorCodes.ServiceUnavailable or LicenseErrorCodes.RateLimited
            or LicenseErrorCodes.InvalidResponse or LicenseErrorCodes.SignatureMissing or LicenseErrorCodes.SignatureInvalid
           || exception.Status is >= 500 or 408 or 429;

    private TimeSpan Backoff(int attempt) => LicensePipeline.Backoff(attempt, _baseDelay, _maxDelay, _random());

    private Task DelayAsync(Duration wait, CancellationToken cancellationToken)
        => wait > Duration.Zero ? DelayAsync(wait.ToTimeSpan(), cancellationToken) : Task.CompletedTask;

    private Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
#if NET
        => Task.Delay(wait, _time, cancellationToken);
#else
        => _time.Delay(wait, cancellationToken);
#endif

    private CancellationTokenSource CreateTimeout(TimeSpan delay)
#if NET
        => new(delay, _time);
#else
        => _time.CreateCancellationTokenSource(delay);
#endif

    private void Become(SeatState state, Instant? borrowedUntil, Exception? failure = null, TimeSpan? retryIn = null, int attempt = 0, Instant? localEnd = null)
    {
        SeatStateChangedEventArgs change;
        lock (_gate)
        {
            change = new SeatStateChangedEventArgs(_state, state, borrowedUntil, failure, retryIn, attempt);
            _state = state;
            _borrowedUntil = borrowedUntil;
            _localEnd = localEnd ?? _localEnd;
            if (state is SeatState.Lost or SeatState.Expired)
            {
                _failure = failure as LicenseApiException;
            }
        }

        Report(change);

        EventHandler<SeatStateChangedEventArgs>? handler = StateChanged;
        if (handler is null)
        {
            return;
        }

        if (_context is not null)
        {
            // One drain at a time, in order, even on a context that runs posted work on several threads at once.
            _posted.Enqueue((handler, change));
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            {
                PostDrain();
            }

            return;
        }

        try
        {
            handler(this, change);
        }
        catch (Exception)
        {
            // A handler's failure must not stop the seat's renewals; see StateChanged.
        }
    }

    /// <summary>Logs what a change means: held, waiting, renewed, a renewal to try again, offline from a receipt, lost or expired.</summary>
    private void Report(SeatStateChangedEventArgs change)
    {
        // Each message checks its own level; this only spares the formatting when the logger takes none of them.
        if (!_logger.IsEnabled(LogLevel.Information) && !_logger.IsEnabled(LogLevel.Warning) && !_logger.IsEnabled(LogLevel.Error))
        {
            return;
        }

        string product = _request.Product;
        string feature = Log.FeatureSuffix(_request.Feature);
        string code = Log.CodeOf(change.Failure);
        string until = change.BorrowedUntil?.ToString() ?? "";
        double retryIn = change.RetryIn?.TotalSeconds ?? 0;
        switch (change.State)
        {
            case SeatState.Waiting:
                Log.SeatWaiting(_logger, product, feature, code, change.Attempt, retryIn);
                break;
            case SeatState.HeldOffline when change.PreviousState != SeatState.HeldOffline:
                Log.ReceiptLoaded(_logger, code, product, feature, until);
                break;
            case SeatState.Held or SeatState.HeldOffline when change.RetryIn is not null:
                Log.SeatRenewalFailed(_logger, product, feature, code, until, retryIn);
                break;
            case SeatState.Held when change.PreviousState == SeatState.Renewing:
                Log.SeatRenewed(_logger, product, feature, until);
                break;
            case SeatState.Held:
                Log.SeatHeld(_logger, product, feature, until);
                break;
            case SeatState.Lost:
                Log.SeatLost(_logger, product, feature, code);
                break;
            case SeatState.Expired:
                Log.SeatExpired(_logger, product, feature, code);
                break;
        }
    }

    private void Drain()
    {
        try
        {
            while (_posted.TryDequeue(out (EventHandler<SeatStateChangedEventArgs> Handler, SeatStateChangedEventArgs Change) posted))
            {
                posted.Handler(this, posted.Change);
            }
        }
        finally
        {
            Volatile.Write(ref _draining, 0);
            if (!_posted.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            {
                PostDrain();
            }
        }
    }

    /// <summary>
    /// Posts a drain to the captured context. A context that refuses work (a WinForms control already destroyed, at
    /// exit) gets none: the changes are dropped, so that the seat's own work (its release, say) goes on.
    /// </summary>
    private void PostDrain()
    {
        try
        {
            _context!.Post(static seat => ((FloatingSeat)seat!).Drain(), this);
        }
        catch (Exception)
        {
            while (_posted.TryDequeue(out _))
            {
            }

            Volatile.Write(ref _draining, 0);
        }
    }

    /// <summary>A borrow's end (the server's), its length (measured on the server's clock) and a receipt that could not be saved.</summary>
    private readonly record struct Borrowed(Instant Until, Duration Length, LicenseApiException? ReceiptFailure);
}
