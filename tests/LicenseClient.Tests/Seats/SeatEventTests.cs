using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Seats;

/// <summary>Where state changes are raised, and what a failing handler does.</summary>
public sealed class SeatEventTests : IAsyncLifetime
{
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task State_changes_are_raised_on_the_synchronization_context_current_at_acquire()
    {
        using LicenseApiClient client = _world.Client();
        var context = new RecordingContext();
        var raised = new ConcurrentQueue<(SeatState State, bool OnContext)>();
        SeatOptions options = _world.Options();
        options.StateChanged = (_, change) => raised.Enqueue((change.State, SynchronizationContext.Current == context));

        SynchronizationContext? previous = SynchronizationContext.Current;
        Task<FloatingSeat> acquiring;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            acquiring = FloatingSeat.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1"), options);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        FloatingSeat seat = await acquiring;
        await Eventually.TrueAsync(() => raised.Count == 1);
        await seat.ReleaseAsync();
        await Eventually.TrueAsync(() => raised.Count == 2);

        Assert.Equal([(SeatState.Held, true), (SeatState.Released, true)], raised.ToArray());
        Assert.Equal(2, context.Posts);
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_seat()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.StateChanged += (_, _) => throw new InvalidOperationException("A handler's own failure.");

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1"), options);
        _world.Time.Advance(TimeSpan.FromHours(23));
        await events.NextAsync(change => change.State == SeatState.Held && change.PreviousState == SeatState.Renewing);

        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_feature_seat_holds_and_gives_back_a_seat_of_the_feature_only()
    {
        using LicenseApiClient client = _world.Client();

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1", "export"), _world.Options());

        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(_world.Now + NodaTime.Duration.FromHours(8), seat.BorrowedUntil);
        Assert.Equal(1, _world.Emulator.FeatureSeatsInUse(1, "export"));
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
        Assert.Contains("feature export", seat.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("KEY-OK", seat.ToString(), StringComparison.Ordinal);
        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.FeatureSeatsInUse(1, "export"));
        Assert.Null(seat.BorrowedUntil);
    }

    /// <summary>A context that counts its posts and runs each on the thread pool with itself current.</summary>
    private sealed class RecordingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                SetSynchronizationContext(this);
                try
                {
                    d(state);
                }
                finally
                {
                    SetSynchronizationContext(null);
                }
            });
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("A seat posts its changes.");
    }
}
