using System;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Testing;

namespace LicenseClient.Tests.Seats;

/// <summary>Two apps, one seat (license 7): the second waits, with backoff, and gets the seat once it is free.</summary>
public sealed class WaitingForSeatTests : IAsyncLifetime
{
    private const string OneSeat = "KEY-ONE-SEAT";
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_second_app_waits_and_gets_the_seat_one_backoff_step_after_the_first_releases()
    {
        using LicenseApiClient client = _world.Client();
        FloatingSeat first = await SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-a"), _world.Options());
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;

        Task<FloatingSeat> second = SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-b"), options);

        SeatStateChangedEventArgs wait1 = await events.NextAsync(SeatState.Waiting);
        Assert.Equal(SeatState.Acquiring, wait1.PreviousState);
        Assert.IsType<FloatingNotAvailableException>(wait1.Failure);
        Assert.Equal(1, wait1.Attempt);
        Assert.InRange(wait1.RetryIn!.Value, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
        Assert.False(second.IsCompleted);

        _world.Time.Advance(wait1.RetryIn.Value);
        SeatStateChangedEventArgs wait2 = await events.NextAsync(SeatState.Waiting);
        Assert.Equal(SeatState.Waiting, wait2.PreviousState);
        Assert.Equal(2, wait2.Attempt);
        Assert.InRange(wait2.RetryIn!.Value, TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8));

        Assert.True(await first.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(7));
        Assert.False(second.IsCompleted);
        int mark = _world.Mark;

        _world.Time.Advance(wait2.RetryIn.Value);
        FloatingSeat seat = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal([LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
        Assert.Equal(1, _world.Emulator.SeatsInUse(7));
        Assert.Equal([SeatState.Waiting, SeatState.Waiting, SeatState.Held], events.Seen.Select(e => e.State));
        Assert.Equal(4, _world.Emulator.RequestCountOf(LicenseApiEmulator.BorrowPath));
        await seat.DisposeAsync();
        Assert.Equal(0, _world.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task The_next_try_is_due_RetryIn_after_the_wait_was_reported_however_long_the_handler_took()
    {
        using LicenseApiClient client = _world.Client();
        FloatingSeat first = await SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-a"), _world.Options());
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;

        // The handler takes a second (on the one clock) before it returns.
        options.StateChanged += (_, _) => _world.Time.Advance(TimeSpan.FromSeconds(1));

        Task<FloatingSeat> second = SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-b"), options);
        SeatStateChangedEventArgs wait = await events.NextAsync(SeatState.Waiting);
        Assert.True(await first.ReleaseAsync());
        _world.Time.Advance(wait.RetryIn!.Value - TimeSpan.FromSeconds(1));

        FloatingSeat seat = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SeatState.Held, seat.State);
    }

    [Fact]
    public async Task With_a_wait_timeout_it_fails_typed_when_the_seat_is_never_released()
    {
        using LicenseApiClient client = _world.Client();
        await SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-a"), _world.Options());
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;
        options.WaitTimeout = TimeSpan.FromSeconds(10);
        var started = _world.Time.GetUtcNow();
        int mark = _world.Mark;

        Task<FloatingSeat> second = SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-b"), options);
        TimeSpan waited = TimeSpan.Zero;
        while (waited < options.WaitTimeout)
        {
            SeatStateChangedEventArgs wait = await events.NextAsync(SeatState.Waiting);
            _world.Time.Advance(wait.RetryIn!.Value);
            waited += wait.RetryIn.Value;
        }

        var failure = await Assert.ThrowsAsync<FloatingNotAvailableException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(LicenseErrorCodes.FloatingNotAvailable, failure.ErrorCode);
        Assert.Equal(options.WaitTimeout, _world.Time.GetUtcNow() - started);
        Assert.Equal(events.Seen.Length + 1, _world.PathsSince(mark).Length);
        Assert.All(_world.PathsSince(mark), path => Assert.Equal(LicenseApiEmulator.BorrowPath, path));
        Assert.Equal(1, _world.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task Without_waiting_it_throws_at_once()
    {
        using LicenseApiClient client = _world.Client();
        await SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-a"), _world.Options());
        var events = new SeatEvents();
        int mark = _world.Mark;

        await Assert.ThrowsAsync<FloatingNotAvailableException>(
            () => SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-b"), _world.Options(events)));

        Assert.Empty(events.Seen);
        Assert.Equal([LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
    }

    [Fact]
    public async Task Waiting_ends_when_cancelled()
    {
        using LicenseApiClient client = _world.Client();
        await SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-a"), _world.Options());
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;
        using var cancel = new System.Threading.CancellationTokenSource();

        Task<FloatingSeat> second = SeatWorld.AcquireAsync(client, SeatWorld.Request(OneSeat, "pc-b"), options, cancel.Token);
        await events.NextAsync(SeatState.Waiting);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
