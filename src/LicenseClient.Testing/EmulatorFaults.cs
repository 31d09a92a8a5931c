using System;
using System.Collections.Generic;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>
/// Switches that make the emulator misbehave, for testing how an app copes: failed, slow or dropped
/// answers, and a server clock that is off. Each switch applies to the next answers in the order set.
/// Safe to use from many threads.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly object _gate = new();
    private readonly Queue<PendingFault> _pending = new();
    private Duration _clockSkew;

    /// <summary>How far the server's clock is ahead of the emulator's clock (negative: behind).</summary>
    public Duration ClockSkew
    {
        get
        {
            lock (_gate)
            {
                return _clockSkew;
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests are answered with <paramref name="status"/> and a plain-text
    /// body (as a proxy or a failing server would), with a <c>Retry-After</c> header when <paramref name="retryAfter"/> is set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, <paramref name="status"/> is not 400 to 599, or <paramref name="retryAfter"/> is negative.</exception>
    public EmulatorFaults FailNext(int count, int status, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        if (retryAfter is TimeSpan wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        return Add(count, new Fault(FaultKind.Fail, status, retryAfter ?? TimeSpan.Zero, retryAfter is not null));
    }

    /// <summary>The next <paramref name="count"/> requests are answered normally, but only after <paramref name="delay"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, or <paramref name="delay"/> is negative.</exception>
    public EmulatorFaults DelayNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Add(count, new Fault(FaultKind.Delay, 0, delay, false));
    }

    /// <summary>The next <paramref name="count"/> requests get no answer: the connection is dropped.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public EmulatorFaults DropNext(int count) => Add(count, new Fault(FaultKind.Drop, 0, TimeSpan.Zero, false));

    /// <summary>Puts the server's clock <paramref name="offset"/> ahead of the emulator's clock (negative: behind).</summary>
    public EmulatorFaults SkewClock(Duration offset)
    {
        lock (_gate)
        {
            _clockSkew = offset;
        }

        return this;
    }

    /// <summary>Clears every pending fault and the clock skew.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _pending.Clear();
            _clockSkew = Duration.Zero;
        }
    }

    /// <summary>The fault for the request now arriving, if any.</summary>
    internal Fault? Next()
    {
        lock (_gate)
        {
            if (!_pending.TryPeek(out PendingFault? pending))
            {
                return null;
            }

            if (--pending.Remaining == 0)
            {
                _pending.Dequeue();
            }

            return pending.Fault;
        }
    }

    private EmulatorFaults Add(int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _pending.Enqueue(new PendingFault(fault, count));
        }

        return this;
    }
}

/// <summary>What a fault does.</summary>
internal enum FaultKind
{
    Fail,
    Delay,
    Drop,
}

/// <summary>One pending fault.</summary>
internal readonly record struct Fault(FaultKind Kind, int Status, TimeSpan Time, bool SendRetryAfter);

/// <summary>A fault still to apply to the next <see cref="Remaining"/> requests.</summary>
internal sealed class PendingFault(Fault fault, int remaining)
{
    public Fault Fault { get; } = fault;

    public int Remaining { get; set; } = remaining;
}
