using System;
using System.Threading;
#if NET
using System.Collections.Concurrent;
#endif
#if !NET
using System.Threading.Tasks;
#endif

namespace LicenseClient.Http;

/// <summary>
/// A timeout on <see cref="TimeProvider"/>'s clock, linked to an outer token: <see cref="Token"/> is cancelled when
/// <c>delay</c> passes or the outer token is cancelled, whichever comes first. One cancellation source and one timer,
/// no async state of its own. An infinite delay starts no timer and hands the outer token through. On the system
/// clock the sources (and their timers) are pooled: a deadline that did not pass goes back to be used again.
/// </summary>
internal readonly struct Deadline : IDisposable
{
#if NET
    /// <summary>The most idle sources kept; more than calls ever ran at once is waste.</summary>
    private const int MaxIdle = 256;

    private static readonly ConcurrentQueue<CancellationTokenSource> Idle = new();
    private static int _idleCount;
#endif

    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _link;
    private readonly CancellationToken _outer;
#if NET
    private readonly bool _pooled;
#endif

    public Deadline(TimeProvider time, TimeSpan delay, CancellationToken outer)
    {
        _outer = outer;
#if NET
        _pooled = false;
#endif
        if (delay == Timeout.InfiniteTimeSpan)
        {
            _source = null;
            _link = default;
            return;
        }

#if NET
        _pooled = time == TimeProvider.System;
        _source = _pooled ? Rent(delay) : new CancellationTokenSource(delay, time);
        _link = outer.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
#else
        _source = time.CreateCancellationTokenSource(delay);
        _link = outer.Register(static source => ((CancellationTokenSource)source!).Cancel(), _source);
#endif
    }

    /// <summary>Cancelled when the delay passes or the outer token is cancelled.</summary>
    public CancellationToken Token => _source?.Token ?? _outer;

    /// <summary>Whether the delay passed: the token is cancelled and the outer token is not.</summary>
    public bool HasPassed => _source is { IsCancellationRequested: true } && !_outer.IsCancellationRequested;

    /// <summary>Stops the timer and unlinks from the outer token.</summary>
    public void Dispose()
    {
        // Unlinked first: disposing the registration waits for a cancellation it is running.
        _link.Dispose();
#if NET
        if (_pooled && _source!.TryReset())
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                Idle.Enqueue(_source);
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }
#endif
        _source?.Dispose();
    }

#if NET
    private static CancellationTokenSource Rent(TimeSpan delay)
    {
        if (Idle.TryDequeue(out CancellationTokenSource? source))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            source = new CancellationTokenSource();
        }

        source.CancelAfter(delay);
        return source;
    }
#endif
}
