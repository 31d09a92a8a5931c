using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Emulator;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LicenseClient.Tests.Seats;

/// <summary>
/// The journal of pending releases where seats share a store: several hardware ids, a license seat beside a feature seat,
/// releases refused rather than unreachable, borrows cancelled in flight, and outages while waiting for a seat.
/// </summary>
public sealed class SeatJournalEdgeTests : IAsyncLifetime
{
    private const string Key = "KEY-OK";
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Failed_releases_of_two_hardware_ids_on_one_store_are_both_kept_and_each_sent_by_its_own_start()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        FloatingSeat first = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-a"), _world.Options());
        FloatingSeat second = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-b"), _world.Options());
        _world.Emulator.Faults.DropNext(2);

        Assert.False(await first.ReleaseAsync());
        Assert.False(await second.ReleaseAsync());

        Assert.Equal(["pc-a", "pc-b"], (await store.LoadPendingReleasesAsync()).Select(r => r.HardwareId).Order(StringComparer.Ordinal));
        Assert.Equal(2, _world.Emulator.SeatsInUse(1));
        Assert.Equal(1, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-a"), _world.Options()));
        Assert.Equal(1, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-b"), _world.Options()));
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
        Assert.Empty(await store.LoadPendingReleasesAsync());
    }

    [Fact]
    public async Task A_feature_seat_sends_only_its_own_pending_release_and_a_new_borrow_clears_the_seats_own()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        FloatingSeat license = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        _world.Emulator.Faults.DropNext(1);
        Assert.False(await license.ReleaseAsync());
        int mark = _world.Mark;

        // The feature seat leaves the license seat's pending release alone.
        FloatingSeat feature = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1", "export"), _world.Options());

        Assert.Equal([LicenseApiEmulator.FeatureBorrowPath], _world.PathsSince(mark));
        Assert.Null(Assert.Single(await store.LoadPendingReleasesAsync()).Feature);
        Assert.True(await feature.ReleaseAsync());

        // The license seat's next start sends it, then borrows: nothing is left to give back a seat it holds now.
        mark = _world.Mark;
        FloatingSeat again = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        Assert.Equal([LicenseApiEmulator.ReleasePath, LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
        Assert.Empty(await store.LoadPendingReleasesAsync());
        Assert.True(await again.ReleaseAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_release_answered_by_a_page_that_is_not_the_apis_is_journalled_and_its_receipt_kept()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        _world.Emulator.Faults.FailNext(1, 401);

        Assert.False(await seat.ReleaseAsync());

        Assert.Equal("pc-1", Assert.Single(await store.LoadPendingReleasesAsync()).HardwareId);
        Assert.Equal(1, store.Count);
        Assert.Equal(1, _world.Emulator.SeatsInUse(1));
        Assert.Equal(1, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options()));
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_release_the_api_refuses_for_a_disabled_license_is_journalled_but_its_receipt_is_not_kept()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        EmulatedLicense license = _world.Seed.Licenses.Single(l => l.Id == 1);
        license.Enabled = false;

        Assert.False(await seat.ReleaseAsync());

        // The API answered: the license may not start offline from its receipt; the seat is still owed back.
        Assert.Equal(0, store.Count);
        Assert.Equal("pc-1", Assert.Single(await store.LoadPendingReleasesAsync()).HardwareId);
        license.Enabled = true;
        Assert.Equal(1, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options()));
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_borrow_cancelled_in_flight_journals_a_release_so_a_seat_granted_unseen_is_given_back()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        _world.Emulator.Faults.DelayNext(1, TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource();
        int mark = _world.Mark;

        Task<FloatingSeat> acquire = SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options(), cancel.Token);
        await Eventually.TrueAsync(() => _world.PathsSince(mark).Length == 1);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquire);
        Assert.Equal("pc-1", Assert.Single(await store.LoadPendingReleasesAsync()).HardwareId);

        // Here the emulator dropped the borrow with its connection, so the release finds no seat and the entry is done.
        mark = _world.Mark;
        Assert.Equal(0, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options()));
        Assert.Equal([LicenseApiEmulator.ReleasePath], _world.PathsSince(mark));
        Assert.Empty(await store.LoadPendingReleasesAsync());
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task While_waiting_for_a_seat_an_outage_is_one_more_wait_not_the_end_of_it()
    {
        using LicenseApiClient holderClient = _world.Client();
        FloatingSeat holder = await SeatWorld.AcquireAsync(holderClient, SeatWorld.Request("KEY-ONE-SEAT", "pc-1"), _world.Options());
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        var events = new SeatEvents();
        SeatOptions options = _world.Options(events);
        options.WaitForSeat = true;

        Task<FloatingSeat> waiting = SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-ONE-SEAT", "pc-2"), options);
        SeatStateChangedEventArgs first = await events.NextAsync(SeatState.Waiting);
        _world.Emulator.Faults.DropNext(1);
        _world.Time.Advance(first.RetryIn!.Value);
        SeatStateChangedEventArgs outage = await events.NextAsync(change => change.State == SeatState.Waiting && change.Attempt == 2);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, Assert.IsAssignableFrom<LicenseApiException>(outage.Failure).ErrorCode);

        Assert.True(await holder.ReleaseAsync());
        _world.Time.Advance(outage.RetryIn!.Value);
        FloatingSeat seat = await waiting;

        Assert.Equal(SeatState.Held, seat.State);
        Assert.True(await seat.ReleaseAsync());
    }

    [Fact]
    public async Task A_container_disposed_synchronously_releases_the_seat_of_its_hosted_service()
    {
        var services = new ServiceCollection();
        services.AddLicenseClient(options =>
        {
            LicenseClientOptions world = _world.ClientOptions();
            options.BaseAddress = world.BaseAddress;
            options.ApiKey = world.ApiKey;
            options.SharedKey = world.SharedKey;
            options.Clock = world.Clock;
            options.ServerPublicKey = world.ServerPublicKey;
        });
        services.AddLicenseSeat(SeatWorld.Request(Key, "pc-1"), options => options.TimeProvider = _world.Time);
        ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetServices<IHostedService>().Single().StartAsync(default);
        FloatingSeat seat = provider.GetRequiredService<LicenseSeatService>().Seat!;
        Assert.Equal(1, _world.Emulator.SeatsInUse(1));

        provider.Dispose();

        Assert.Equal(SeatState.Released, seat.State);
        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
    }
}
