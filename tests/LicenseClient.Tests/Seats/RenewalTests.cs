using System;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>A held seat borrows again before its end, once; keeps the seat when the API is away; loses it when refused.</summary>
public sealed class RenewalTests : IAsyncLifetime
{
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("KEY-OK", 1, 0, 23 * 60)] // 24 h borrow: a tenth is 2.4 h, so the 1 h cap
    [InlineData("KEY-ONE-SEAT", 7, 0, (7 * 60) + 12)] // 8 h borrow: a tenth, 48 min
    [InlineData("KEY-OK", 1, 120, 22 * 60)] // RenewBefore set: 2 h
    public async Task Renews_once_before_the_margin_never_twice_and_stays_held(string key, long licenseId, int renewBeforeMinutes, int renewAfterMinutes)
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        if (renewBeforeMinutes > 0)
        {
            options.RenewBefore = TimeSpan.FromMinutes(renewBeforeMinutes);
        }

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(key, "pc-1"), options);
        Instant firstUntil = seat.BorrowedUntil!.Value;
        var renewAfter = TimeSpan.FromMinutes(renewAfterMinutes);
        Assert.Equal([renewAfter], _world.Time.DueTimes);
        int borrows = _world.Emulator.RequestCountOf(LicenseApiEmulator.BorrowPath);

        _world.Time.Advance(renewAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(borrows, _world.Emulator.RequestCountOf(LicenseApiEmulator.BorrowPath));

        _world.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() =>
        {
            Assert.True(seat.IsHeld);
            return seat.State == SeatState.Held && seat.BorrowedUntil != firstUntil;
        });

        Assert.Equal(borrows + 1, _world.Emulator.RequestCountOf(LicenseApiEmulator.BorrowPath));
        Assert.Equal(firstUntil + Duration.FromTimeSpan(renewAfter), seat.BorrowedUntil);

        // The next renewal is scheduled one whole period on, and nothing sooner.
        await Eventually.TrueAsync(() => _world.Time.DueTimes.Length == 2);
        Assert.Equal([renewAfter, renewAfter], _world.Time.DueTimes);
        _world.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(borrows + 1, _world.Emulator.RequestCountOf(LicenseApiEmulator.BorrowPath));

        Assert.Equal([SeatState.Held, SeatState.Renewing, SeatState.Held], events.Seen.Select(e => e.State));
        Assert.All(events.HeldWhenRaised, Assert.True);
        Assert.All(events.Seen, e => Assert.Null(e.Failure));
        Assert.Equal(1, _world.Emulator.SeatsInUse(licenseId));
    }

    [Fact]
    public async Task Each_borrow_asks_for_BorrowFor_and_renews_a_tenth_of_it_before_its_end()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.BorrowFor = TimeSpan.FromHours(2);

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1"), options);

        Assert.Equal(_world.Now + Duration.FromHours(2), seat.BorrowedUntil);
        Assert.Equal([TimeSpan.FromMinutes(108)], _world.Time.DueTimes);
        _world.Time.Advance(TimeSpan.FromMinutes(108));
        SeatStateChangedEventArgs renewed = await events.NextAsync(change => change.PreviousState == SeatState.Renewing);
        Assert.Equal(SeatState.Held, renewed.State);
        Assert.Equal(_world.Now + Duration.FromHours(2), renewed.BorrowedUntil);
    }

    [Fact]
    public async Task With_the_computer_clock_two_hours_behind_BorrowFor_is_counted_on_the_servers_time()
    {
        // The client's clock and the seat's timers both run two hours behind the emulator's.
        var behind = new RecordingTimeProvider();
        behind.SetUtcNow(_world.Time.GetUtcNow() - TimeSpan.FromHours(2));
        LicenseClientOptions clientOptions = _world.ClientOptions();
        clientOptions.Clock = new LicenseClient.Internal.TimeProviderClock(behind);
        using var client = new LicenseApiClient(clientOptions);
        var options = new SeatOptions { TimeProvider = behind, BorrowFor = TimeSpan.FromHours(1) };

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1"), options);

        // An hour of the server's time, renewed six minutes before its end on the seat's own clock.
        Assert.Equal(SeatState.Held, seat.State);
        Assert.InRange(seat.BorrowedUntil!.Value, _world.Now + Duration.FromHours(1) - Duration.FromSeconds(1), _world.Now + Duration.FromHours(1) + Duration.FromSeconds(1));
        Assert.Equal([TimeSpan.FromMinutes(54)], behind.DueTimes);
        Assert.True(await seat.ReleaseAsync());
    }

    [Fact]
    public async Task A_renewal_the_API_cannot_answer_keeps_the_seat_held_then_renews_when_it_is_back()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", "pc-1"), _world.Options(events));
        Instant until = seat.BorrowedUntil!.Value;
        _world.Emulator.Faults.DropNext(1000);

        _world.Time.Advance(TimeSpan.FromMinutes((7 * 60) + 12));
        await events.NextAsync(SeatState.Renewing);
        SeatStateChangedEventArgs kept = await events.NextAsync(SeatState.Held);

        Assert.Equal(SeatState.Renewing, kept.PreviousState);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, Assert.IsAssignableFrom<LicenseApiException>(kept.Failure).ErrorCode);
        Assert.Equal(1, kept.Attempt);
        Assert.NotNull(kept.RetryIn);
        Assert.Equal(until, kept.BorrowedUntil);
        Assert.True(seat.IsHeld);
        Assert.Equal(until, seat.BorrowedUntil);

        _world.Emulator.Faults.Reset();
        _world.Time.Advance(kept.RetryIn.Value);
        SeatStateChangedEventArgs renewed = await events.NextAsync(change => change.State == SeatState.Held && change.Failure is null);

        // The emulator writes borrowed_until to the millisecond.
        Instant expected = _world.Now + Duration.FromHours(8);
        Assert.InRange(renewed.BorrowedUntil!.Value, expected - Duration.FromMilliseconds(1), expected);
        Assert.Equal(renewed.BorrowedUntil, seat.BorrowedUntil);
        Assert.All(events.Seen, e => Assert.True(e.State is SeatState.Held or SeatState.Renewing));
        Assert.All(events.HeldWhenRaised, Assert.True);
        Assert.Equal(1, _world.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task A_seat_the_API_stays_away_from_past_its_end_expires()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.BaseDelay = TimeSpan.FromMinutes(2);
        options.MaxDelay = TimeSpan.FromMinutes(10);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", "pc-1"), options);
        Instant until = seat.BorrowedUntil!.Value;
        _world.Emulator.Faults.DropNext(1000);

        _world.Time.Advance(TimeSpan.FromMinutes((7 * 60) + 12));
        SeatStateChangedEventArgs change;
        while ((change = await events.NextAsync(e => e.RetryIn is not null || e.State == SeatState.Expired)).State != SeatState.Expired)
        {
            Assert.True(seat.IsHeld);
            Assert.True(_world.Now + Duration.FromTimeSpan(change.RetryIn!.Value) <= until);
            _world.Time.Advance(change.RetryIn.Value);
        }

        Assert.Equal(until, _world.Now);
        Assert.Equal(SeatState.Renewing, change.PreviousState);
        Assert.Null(change.BorrowedUntil);
        Assert.Equal(SeatState.Expired, seat.State);
        Assert.False(seat.IsHeld);
        Assert.Null(seat.BorrowedUntil);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, seat.Failure!.ErrorCode);
        Assert.Same(change.Failure, seat.Failure);
        Assert.Equal(0, _world.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task A_license_disabled_while_held_loses_the_seat_at_the_next_renewal_and_its_receipt()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        var events = new SeatEvents();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-1"), _world.Options(events));
        Assert.Equal(1, store.Count);
        _world.Seed.Licenses.Single(license => license.Id == 1).Enabled = false;

        _world.Time.Advance(TimeSpan.FromHours(23));
        SeatStateChangedEventArgs lost = await events.NextAsync(SeatState.Lost);

        Assert.Equal(SeatState.Renewing, lost.PreviousState);
        Assert.IsType<LicenseNotEnabledException>(lost.Failure);
        Assert.Null(lost.RetryIn);
        Assert.Null(lost.BorrowedUntil);
        Assert.Equal(SeatState.Lost, seat.State);
        Assert.False(seat.IsHeld);
        Assert.Same(lost.Failure, Assert.IsType<LicenseNotEnabledException>(seat.Failure));
        Assert.Equal(0, store.Count);

        // Nothing is renewed after a loss, and the release has nothing to give back.
        int mark = _world.Mark;
        _world.Time.Advance(TimeSpan.FromHours(30));
        Assert.True(await seat.ReleaseAsync());
        Assert.Empty(_world.PathsSince(mark));
        Assert.Equal([SeatState.Held, SeatState.Renewing, SeatState.Lost, SeatState.Released], events.Seen.Select(e => e.State));
    }
}
