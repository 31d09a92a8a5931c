using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Seats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>What a seat logs as it is held, waits, renews, fails to renew, is lost, expires, is released or journalled, and starts offline.</summary>
public sealed class SeatLoggingTests : IAsyncLifetime, IDisposable
{
    private const string HardwareId = "pc-logged-7f3a";
    private readonly LogCapture _logs = new();
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_seat_held_renewed_and_released_logs_each_at_information_with_its_end()
    {
        using LicenseApiClient client = Client(_logs);
        var events = new SeatEvents();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", HardwareId), _world.Options(events));
        Instant firstUntil = seat.BorrowedUntil!.Value;

        _world.Time.Advance(TimeSpan.FromHours(23));
        SeatStateChangedEventArgs renewed = await events.NextAsync(change => change.PreviousState == SeatState.Renewing);
        Assert.True(await seat.ReleaseAsync());

        Assert.Equal(
            [LicenseClientEventIds.SeatHeld, LicenseClientEventIds.SeatRenewed, LicenseClientEventIds.SeatReleased],
            _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord held = _logs.Single(LicenseClientEventIds.SeatHeld, LogLevel.Information);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(held, "Product"));
        Assert.Equal("", LogCapture.Value(held, "FeatureSuffix"));
        Assert.Equal(firstUntil.ToString(), LogCapture.Value(held, "BorrowedUntil"));
        FakeLogRecord renewal = _logs.Single(LicenseClientEventIds.SeatRenewed, LogLevel.Information);
        Assert.Equal(renewed.BorrowedUntil!.Value.ToString(), LogCapture.Value(renewal, "BorrowedUntil"));
        Assert.NotEqual(firstUntil, renewed.BorrowedUntil);
        FakeLogRecord released = _logs.Single(LicenseClientEventIds.SeatReleased, LogLevel.Information);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(released, "Product"));
        _logs.AssertNotAboveDebug(HardwareId);
    }

    [Fact]
    public async Task A_feature_seat_names_its_feature()
    {
        using LicenseApiClient client = Client(_logs);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", HardwareId, "export"), _world.Options());
        Assert.True(await seat.ReleaseAsync());

        Assert.Equal([LicenseClientEventIds.SeatHeld, LicenseClientEventIds.SeatReleased], _logs.IdsFrom(LogLevel.Information));
        Assert.Equal(" (feature export)", LogCapture.Value(_logs.Single(LicenseClientEventIds.SeatHeld, LogLevel.Information), "FeatureSuffix"));
        Assert.Equal(" (feature export)", LogCapture.Value(_logs.Single(LicenseClientEventIds.SeatReleased, LogLevel.Information), "FeatureSuffix"));
    }

    [Fact]
    public async Task A_seat_that_waits_logs_the_wait_with_the_code_attempt_and_delay_then_is_held()
    {
        using LicenseApiClient other = Client();
        FloatingSeat first = await SeatWorld.AcquireAsync(other, SeatWorld.Request("KEY-ONE-SEAT", "pc-a"), _world.Options());
        using LicenseApiClient client = Client(_logs);
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;

        Task<FloatingSeat> second = SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", HardwareId), options);
        SeatStateChangedEventArgs wait = await events.NextAsync(SeatState.Waiting);
        Assert.True(await first.ReleaseAsync());
        _world.Time.Advance(wait.RetryIn!.Value);
        FloatingSeat seat = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [LicenseClientEventIds.CallFailed, LicenseClientEventIds.SeatWaiting, LicenseClientEventIds.SeatHeld],
            _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord waiting = _logs.Single(LicenseClientEventIds.SeatWaiting, LogLevel.Information);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(waiting, "Product"));
        Assert.Equal(LicenseErrorCodes.FloatingNotAvailable, LogCapture.Value(waiting, "ErrorCode"));
        Assert.Equal("1", LogCapture.Value(waiting, "Attempt"));
        Assert.Equal(wait.RetryIn.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture), LogCapture.Value(waiting, "RetryInSeconds"));
        _logs.AssertNotAboveDebug(HardwareId);
        await seat.DisposeAsync();
    }

    [Fact]
    public async Task A_seat_the_API_stays_away_from_logs_each_failed_renewal_then_its_expiry_even_with_information_off()
    {
        using var logs = new LogCapture(LogLevel.Warning);
        using LicenseApiClient client = Client(logs);
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.BaseDelay = TimeSpan.FromMinutes(2);
        options.MaxDelay = TimeSpan.FromMinutes(10);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", HardwareId), options);
        Instant until = seat.BorrowedUntil!.Value;
        _world.Emulator.Faults.DropNext(1000);

        _world.Time.Advance(TimeSpan.FromMinutes((7 * 60) + 12));
        SeatStateChangedEventArgs change;
        int failures = 0;
        SeatStateChangedEventArgs? firstFailure = null;
        while ((change = await events.NextAsync(e => e.RetryIn is not null || e.State == SeatState.Expired)).State != SeatState.Expired)
        {
            firstFailure ??= change;
            failures++;
            _world.Time.Advance(change.RetryIn!.Value);
        }

        int[] seatIds = logs.IdsFrom(LogLevel.Trace).Where(id => id != LicenseClientEventIds.CallFailed).ToArray();
        Assert.Equal([.. Enumerable.Repeat(LicenseClientEventIds.SeatRenewalFailed, failures), LicenseClientEventIds.SeatExpired], seatIds);
        Assert.True(failures >= 2, $"{failures} failed renewals");
        FakeLogRecord renewalFailed = logs.WithId(LicenseClientEventIds.SeatRenewalFailed)[0];
        LogCapture.AssertIs(renewalFailed, LicenseClientEventIds.SeatRenewalFailed, LogLevel.Warning);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, LogCapture.Value(renewalFailed, "ErrorCode"));
        Assert.Equal(until.ToString(), LogCapture.Value(renewalFailed, "BorrowedUntil"));
        Assert.Equal(firstFailure!.RetryIn!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture), LogCapture.Value(renewalFailed, "RetryInSeconds"));
        FakeLogRecord expired = logs.Single(LicenseClientEventIds.SeatExpired, LogLevel.Error);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, LogCapture.Value(expired, "ErrorCode"));
        Assert.Equal(SeatWorld.Product, LogCapture.Value(expired, "Product"));
        logs.AssertNowhere(HardwareId);
    }

    [Fact]
    public async Task A_seat_the_API_refuses_to_renew_logs_its_loss_with_the_code_even_with_information_off()
    {
        using var logs = new LogCapture(LogLevel.Warning);
        using LicenseApiClient client = Client(logs, new InMemoryBorrowReceiptStore());
        var events = new SeatEvents();
        await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", HardwareId), _world.Options(events));
        _world.Seed.Licenses.Single(license => license.Id == 1).Enabled = false;

        _world.Time.Advance(TimeSpan.FromHours(23));
        await events.NextAsync(SeatState.Lost);

        Assert.Equal([LicenseClientEventIds.CallFailed, LicenseClientEventIds.SeatLost], logs.IdsFrom(LogLevel.Trace));
        FakeLogRecord lost = logs.Single(LicenseClientEventIds.SeatLost, LogLevel.Error);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(lost, "Product"));
        Assert.Equal(LicenseErrorCodes.LicenseNotEnabled, LogCapture.Value(lost, "ErrorCode"));
        logs.AssertNowhere(HardwareId);
    }

    [Fact]
    public async Task A_release_that_cannot_be_sent_is_logged_as_journalled_and_the_next_start_logs_it_sent()
    {
        var store = new InMemoryBorrowReceiptStore();
        SeatRequest request = SeatWorld.Request("KEY-OK", HardwareId);
        using (LicenseApiClient client = Client(_logs, store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
            _world.Emulator.Faults.DropNext(1);
            await seat.DisposeAsync();
        }

        FakeLogRecord journalled = _logs.Single(LicenseClientEventIds.ReleaseJournalled, LogLevel.Warning);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(journalled, "Product"));
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, LogCapture.Value(journalled, "ErrorCode"));

        using (LicenseApiClient client = Client(_logs, store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
            Assert.True(await seat.ReleaseAsync());
        }

        Assert.Equal(
            [
                LicenseClientEventIds.ReceiptSaved, LicenseClientEventIds.SeatHeld, LicenseClientEventIds.CallFailed, LicenseClientEventIds.ReleaseJournalled,
                LicenseClientEventIds.JournalledReleaseSent, LicenseClientEventIds.ReceiptSaved, LicenseClientEventIds.SeatHeld, LicenseClientEventIds.SeatReleased,
            ],
            _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord sent = _logs.Single(LicenseClientEventIds.JournalledReleaseSent, LogLevel.Information);
        Assert.Equal(SeatWorld.Product, LogCapture.Value(sent, "Product"));
        Assert.Equal("", LogCapture.Value(sent, "FeatureSuffix"));
        _logs.AssertNotAboveDebug(HardwareId);
    }

    [Fact]
    public async Task A_seat_started_offline_from_its_stored_receipt_logs_the_receipt_loaded_with_its_end()
    {
        var store = new InMemoryBorrowReceiptStore();
        Instant until;
        using (LicenseApiClient ended = Client(store: store))
        {
            // A process that held the seat and ended without releasing it: its timers never move again.
            FloatingSeat held = await SeatWorld.AcquireAsync(ended, SeatWorld.Request("KEY-OK", HardwareId), new SeatOptions { TimeProvider = new FakeTimeProvider(_world.Time.GetUtcNow()) });
            until = held.BorrowedUntil!.Value;
        }

        _world.Time.Advance(TimeSpan.FromHours(1));
        _world.Emulator.Faults.DropNext(1000);
        using LicenseApiClient client = Client(_logs, store);

        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", HardwareId), _world.Options());

        Assert.Equal(SeatState.HeldOffline, seat.State);
        Assert.Equal(
            [LicenseClientEventIds.CallFailed, LicenseClientEventIds.CallFailed, LicenseClientEventIds.ReceiptLoaded],
            _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord loaded = _logs.Single(LicenseClientEventIds.ReceiptLoaded, LogLevel.Information);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, LogCapture.Value(loaded, "ErrorCode"));
        Assert.Equal(SeatWorld.Product, LogCapture.Value(loaded, "Product"));
        Assert.Equal(until.ToString(), LogCapture.Value(loaded, "BorrowedUntil"));
        _logs.AssertNotAboveDebug(HardwareId);
    }

    [Fact]
    public async Task A_seat_with_the_API_out_of_reach_and_no_receipt_logs_the_refusal_with_the_check()
    {
        using LicenseApiClient client = Client(_logs, new InMemoryBorrowReceiptStore());
        _world.Emulator.Faults.DropNext(1000);

        await Assert.ThrowsAsync<OfflineSeatRefusedException>(() => SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", HardwareId), _world.Options()));

        Assert.Equal([LicenseClientEventIds.CallFailed, LicenseClientEventIds.ReceiptRefused], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord refused = _logs.Single(LicenseClientEventIds.ReceiptRefused, LogLevel.Warning);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, LogCapture.Value(refused, "ErrorCode"));
        Assert.Equal(SeatWorld.Product, LogCapture.Value(refused, "Product"));
        Assert.Equal(nameof(ReceiptCheckStatus.NoReceipt), LogCapture.Value(refused, "Check"));
        _logs.AssertNotAboveDebug(HardwareId);
    }

    /// <summary>A client of the world's emulator, logging to <paramref name="logs"/> (nowhere when null), with <paramref name="store"/>.</summary>
    private LicenseApiClient Client(LogCapture? logs = null, IBorrowReceiptStore? store = null)
    {
        LicenseClientOptions options = _world.ClientOptions(store);
        options.LoggerFactory = logs?.Factory;
        return new LicenseApiClient(options);
    }
}
