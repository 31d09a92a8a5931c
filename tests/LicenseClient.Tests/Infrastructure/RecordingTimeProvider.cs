using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of every timer created on it (retry waits, attempt
/// and call timeouts), so a test can await the moment the client starts a wait, then advance exactly past it.
/// </summary>
public sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>The due times of the timers created so far, in order.</summary>
    public TimeSpan[] DueTimes => _dueTimes.ToArray();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been created (a retry wait, say).</summary>
    public Task WaitForTimersAsync(TimeSpan dueTime)
        => Eventually.TrueAsync(() => DueTimes.Contains(dueTime));
}
