using System;
using System.Threading.Tasks;
using LicenseClient.Internal;
using LicenseClient.Testing;
using LicenseClient.Tests.Offline;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>
/// A seat whose process ended without releasing it: the next start releases it before borrowing, or, with the API out
/// of reach, starts offline from its stored receipt, unless the clock was wound back.
/// </summary>
public sealed class OfflineStartTests : IAsyncLifetime, IDisposable
{
    private const string Key = "KEY-OK";
    private const string HardwareId = "pc-1";
    private readonly Receipts.TemporaryFolder _folder = Receipts.NewFolder();
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task With_the_API_out_of_reach_a_stored_receipt_starts_the_seat_offline_and_the_next_try_online_holds_it()
    {
        Instant until = await HoldAndEndWithoutReleaseAsync("KEY-OK");
        _world.Time.Advance(TimeSpan.FromHours(1));
        _world.Emulator.Faults.DropNext(1000);
        var store = new FileBorrowReceiptStore(_folder.Path);
        using LicenseApiClient client = _world.Client(store);
        var events = new SeatEvents();

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), _world.Options(events));

        Assert.Equal(SeatState.HeldOffline, seat.State);
        Assert.True(seat.IsHeld);
        Assert.Equal(until, seat.BorrowedUntil);
        Assert.Equal(ReceiptLoadStatus.Found, (await store.LoadAsync(SeatWorld.Product)).Status);
        Assert.Equal(_world.Now, await store.LoadTrustedTimeAsync());
        SeatStateChangedEventArgs offline = Assert.Single(events.Seen);
        Assert.Equal(SeatState.HeldOffline, offline.State);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, Assert.IsAssignableFrom<LicenseApiException>(offline.Failure).ErrorCode);
        Assert.NotNull(offline.RetryIn);

        _world.Emulator.Faults.Reset();
        _world.Time.Advance(offline.RetryIn.Value);
        SeatStateChangedEventArgs online = await events.NextAsync(SeatState.Held);

        Assert.Equal(SeatState.HeldOffline, online.PreviousState);
        Instant expected = _world.Now + Duration.FromHours(24);
        Assert.InRange(online.BorrowedUntil!.Value, expected - Duration.FromMilliseconds(1), expected); // to the millisecond
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(1, _world.Emulator.SeatsInUse(1));
        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task With_the_clock_wound_back_no_offline_seat_is_given_and_the_refusal_says_why()
    {
        await HoldAndEndWithoutReleaseAsync(Key);
        _world.Emulator.Faults.DropNext(1000);
        var store = new FileBorrowReceiptStore(_folder.Path);

        // The next start's computer clock is an hour behind the time the borrow's answer showed.
        OfflineSeatRefusedException refused = await AcquireAnHourBehindAsync(store);

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, refused.Check.Status);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, refused.ErrorCode);
        Assert.IsAssignableFrom<LicenseApiException>(refused.InnerException);
        Assert.Contains("ClockWoundBack", refused.Message, StringComparison.Ordinal);
        Assert.Contains("clock is behind", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, refused.ToString(), StringComparison.Ordinal);

        // The receipt stays: with the clock right again, and the API still away, the seat starts offline.
        Assert.Equal(ReceiptLoadStatus.Found, (await store.LoadAsync(SeatWorld.Product)).Status);
        using (LicenseApiClient client = _world.Client(store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), _world.Options());
            Assert.Equal(SeatState.HeldOffline, seat.State);
        }
    }

    [Fact]
    public async Task An_offline_start_moves_the_trusted_time_mark_so_a_clock_wound_back_after_it_is_refused()
    {
        await HoldAndEndWithoutReleaseAsync(Key);
        _world.Emulator.Faults.DropNext(1000);
        var store = new FileBorrowReceiptStore(_folder.Path);
        _world.Time.Advance(TimeSpan.FromHours(2));
        using (LicenseApiClient client = _world.Client(store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), _world.Options());
            Assert.Equal(SeatState.HeldOffline, seat.State);
        }

        // An hour behind the offline start, though an hour after the borrow.
        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, (await AcquireAnHourBehindAsync(store)).Check.Status);
    }

    /// <summary>Acquires with the computer's clock an hour behind the world's, expecting no offline seat.</summary>
    private async Task<OfflineSeatRefusedException> AcquireAnHourBehindAsync(IBorrowReceiptStore store)
    {
        var earlier = new FakeTimeProvider(_world.Time.GetUtcNow() - TimeSpan.FromHours(1));
        LicenseClientOptions options = _world.ClientOptions(store);
        options.Clock = new TimeProviderClock(earlier);
        using var client = new LicenseApiClient(options);
        return await Assert.ThrowsAsync<OfflineSeatRefusedException>(
            () => SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), new SeatOptions { TimeProvider = earlier }));
    }

    [Fact]
    public async Task With_the_API_out_of_reach_and_no_receipt_the_refusal_says_there_is_none()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        using LicenseApiClient client = _world.Client(store);
        _world.Emulator.Faults.DropNext(1000);

        var refused = await Assert.ThrowsAsync<OfflineSeatRefusedException>(
            () => SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), _world.Options()));

        Assert.Equal(ReceiptCheckStatus.NoReceipt, refused.Check.Status);
        Assert.Contains("NoReceipt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_API_out_of_reach_and_no_store_the_failure_is_the_API_s()
    {
        using LicenseApiClient client = _world.Client();
        _world.Emulator.Faults.DropNext(1000);

        var failure = await Assert.ThrowsAsync<LicenseApiException>(
            () => SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, HardwareId), _world.Options()));

        Assert.Equal(LicenseErrorCodes.ConnectionFailed, failure.ErrorCode);
    }

    [Fact]
    public async Task A_stale_seat_is_released_before_the_new_borrow_and_no_seat_leaks()
    {
        await HoldAndEndWithoutReleaseAsync("KEY-ONE-SEAT");
        Assert.Equal(1, _world.Emulator.SeatsInUse(7));
        var store = new FileBorrowReceiptStore(_folder.Path);
        int mark = _world.Mark;
        using LicenseApiClient client = _world.Client(store);

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", HardwareId), _world.Options());

        Assert.Equal([LicenseApiEmulator.ReleasePath, LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(1, _world.Emulator.SeatsInUse(7));
        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(7));
        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(SeatWorld.Product)).Status);
    }

    /// <summary>
    /// Holds a seat in a "process" whose store is the temporary folder and whose timers run on a time of their own that
    /// never moves (the process ended), and never releases it. Returns the borrow's end.
    /// </summary>
    private async Task<Instant> HoldAndEndWithoutReleaseAsync(string key)
    {
        using LicenseApiClient client = _world.Client(new FileBorrowReceiptStore(_folder.Path));
        var stopped = new FakeTimeProvider(_world.Time.GetUtcNow());
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(key, HardwareId), new SeatOptions { TimeProvider = stopped });
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(ReceiptLoadStatus.Found, (await new FileBorrowReceiptStore(_folder.Path).LoadAsync(SeatWorld.Product)).Status);
        return seat.BorrowedUntil!.Value;
    }
}
