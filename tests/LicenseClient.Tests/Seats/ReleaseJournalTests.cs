using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Infrastructure;
using LicenseClient.Tests.Offline;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>A release the API cannot take is journalled in the receipt store, with no secret, and sent exactly once later.</summary>
public sealed class ReleaseJournalTests : IAsyncLifetime, IDisposable
{
    private const string Key = "KEY-OK";
    private readonly Receipts.TemporaryFolder _folder = Receipts.NewFolder();
    private SeatWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_release_at_dispose_with_the_API_unreachable_is_journalled_then_sent_once_by_the_next_start()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        SeatRequest request = SeatWorld.Request(Key, "pc-1");
        Instant until;
        using (LicenseApiClient client = _world.Client(store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
            until = seat.BorrowedUntil!.Value;
            _world.Emulator.Faults.DropNext(1);

            await seat.DisposeAsync();

            Assert.Equal(SeatState.Released, seat.State);
        }

        PendingRelease pending = Assert.Single(await store.LoadPendingReleasesAsync());
        Assert.Equal(new PendingRelease(SeatWorld.Product, "pc-1", null, until, _world.Now), pending);
        byte[] journal = await File.ReadAllBytesAsync(store.PendingReleasePathOf(SeatWorld.Product, "pc-1"));
        Assert.DoesNotContain(Key, Encoding.UTF8.GetString(journal), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _world.Emulator.SeatsInUse(1));

        // The next start sends it first, then borrows.
        int mark = _world.Mark;
        using (LicenseApiClient client = _world.Client(store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
            Assert.Equal([LicenseApiEmulator.ReleasePath, LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
            Assert.Empty(await store.LoadPendingReleasesAsync());
            Assert.True(await seat.ReleaseAsync());
        }

        Assert.Equal(0, _world.Emulator.SeatsInUse(1));

        // A third start has nothing left to send.
        mark = _world.Mark;
        using (LicenseApiClient client = _world.Client(store))
        {
            FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
            Assert.Equal([LicenseApiEmulator.BorrowPath], _world.PathsSince(mark));
            await seat.DisposeAsync();
        }

        Assert.Equal(0, _world.Emulator.SeatsInUse(1));
        Assert.Empty(Directory.GetFiles(_folder.Path, "pending-release-*"));
    }

    [Fact]
    public async Task ReleasePendingAsync_sends_the_journal_once_and_keeps_what_cannot_be_sent()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        SeatRequest request = SeatWorld.Request(Key, "pc-1") with { Feature = "export" };
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, request, _world.Options());
        Assert.Equal(1, _world.Emulator.FeatureSeatsInUse(1, "export"));
        _world.Emulator.Faults.DropNext(1);
        Assert.False(await seat.ReleaseAsync());
        Assert.Equal("export", Assert.Single(await store.LoadPendingReleasesAsync()).Feature);

        _world.Emulator.Faults.DropNext(1);
        Assert.Equal(0, await FloatingSeat.ReleasePendingAsync(client, request, _world.Options()));
        Assert.Single(await store.LoadPendingReleasesAsync());
        Assert.Equal(1, _world.Emulator.FeatureSeatsInUse(1, "export"));

        int mark = _world.Mark;
        Assert.Equal(1, await FloatingSeat.ReleasePendingAsync(client, request, _world.Options()));
        Assert.Equal(0, await FloatingSeat.ReleasePendingAsync(client, request, _world.Options()));

        Assert.Equal([LicenseApiEmulator.FeatureReleasePath], _world.PathsSince(mark));
        Assert.Empty(await store.LoadPendingReleasesAsync());
        Assert.Equal(0, _world.Emulator.FeatureSeatsInUse(1, "export"));
    }

    [Fact]
    public async Task A_pending_release_whose_borrow_seems_ended_is_still_sent_since_the_computer_clock_may_be_ahead()
    {
        var store = new InMemoryBorrowReceiptStore();
        await store.SavePendingReleaseAsync(new PendingRelease(SeatWorld.Product, "pc-1", null, _world.Now + Duration.FromHours(1), _world.Now));
        await store.SavePendingReleaseAsync(new PendingRelease(SeatWorld.Product, "another-pc", "export", _world.Now + Duration.FromHours(1), _world.Now));
        using LicenseApiClient client = _world.Client(store);
        _world.Time.Advance(TimeSpan.FromHours(1));
        int mark = _world.Mark;

        // The API holds no seat for pc-1 (its answer says so): the entry is done, though not counted as a release sent.
        Assert.Equal(0, await FloatingSeat.ReleasePendingAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options()));

        Assert.Equal([LicenseApiEmulator.ReleasePath], _world.PathsSince(mark));
        Assert.Equal("another-pc", Assert.Single(await store.LoadPendingReleasesAsync()).HardwareId);
    }

    [Fact]
    public async Task A_release_that_gets_no_answer_within_the_release_timeout_is_journalled()
    {
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _world.Client(store);
        SeatOptions options = _world.Options();
        options.ReleaseTimeout = TimeSpan.FromSeconds(5);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), options);
        _world.Emulator.Faults.DelayNext(1, TimeSpan.FromMinutes(5));
        int mark = _world.Mark;

        Task<bool> release = seat.ReleaseAsync();
        await Eventually.TrueAsync(() => _world.PathsSince(mark).Length == 1);
        Assert.False(release.IsCompleted);
        _world.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(await release.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SeatState.Released, seat.State);
        Assert.Single(await store.LoadPendingReleasesAsync());
    }

    [Fact]
    public async Task Releasing_and_disposing_at_once_releases_once_and_gives_both_the_same_result()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options(events));
        int mark = _world.Mark;

        Task<bool> first = seat.ReleaseAsync();
        Task<bool> second = seat.ReleaseAsync();
        await Task.WhenAll(first, second, seat.DisposeAsync().AsTask());

        Assert.True(await first);
        Assert.True(await second);
        Assert.Equal([LicenseApiEmulator.ReleasePath], _world.PathsSince(mark));
        Assert.Equal([SeatState.Held, SeatState.Released], events.Seen.Select(e => e.State));
    }

    [Fact]
    public async Task DisposeAsync_after_the_client_was_disposed_journals_the_release_and_does_not_throw()
    {
        var store = new InMemoryBorrowReceiptStore();
        LicenseApiClient client = _world.Client(store);
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        client.Dispose();

        await seat.DisposeAsync();

        Assert.Equal(SeatState.Released, seat.State);
        Assert.Single(await store.LoadPendingReleasesAsync());
    }

    [Fact]
    public async Task A_renewal_after_the_client_was_disposed_keeps_the_seat_until_its_end_and_the_release_is_journalled()
    {
        var store = new InMemoryBorrowReceiptStore();
        LicenseApiClient client = _world.Client(store);
        var events = new SeatEvents();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options(events));
        client.Dispose();

        _world.Time.Advance(TimeSpan.FromHours(23));
        SeatStateChangedEventArgs kept = await events.NextAsync(change => change.State == SeatState.Held && change.Failure is not null);

        Assert.IsType<ObjectDisposedException>(kept.Failure);
        Assert.NotNull(kept.RetryIn);
        Assert.True(seat.IsHeld);
        await seat.DisposeAsync();
        Assert.Equal(SeatState.Released, seat.State);
        Assert.Single(await store.LoadPendingReleasesAsync());
    }

    [Fact]
    public async Task Without_a_store_a_release_the_API_cannot_take_is_left_to_end_by_itself()
    {
        using LicenseApiClient client = _world.Client();
        FloatingSeat seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request(Key, "pc-1"), _world.Options());
        _world.Emulator.Faults.DropNext(1);

        Assert.False(await seat.ReleaseAsync());

        Assert.Equal(SeatState.Released, seat.State);
        Assert.Equal(1, _world.Emulator.SeatsInUse(1));
    }
}
