using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Tests.Emulator;

/// <summary>
/// The emulator's seat accounting, which no longer recounts every seat on each borrow: seats held under
/// concurrent borrows, and seats freed exactly when their latest borrow ends, however often a device borrowed
/// again or released before.
/// </summary>
public sealed class SeatAccountingTests : IAsyncLifetime
{
    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync()
    {
        EmulatorSeed seed = EmulatorFixture.Seed();
        seed.Licenses.Add(new EmulatedLicense { Id = 20, Product = EmulatorFixture.Product, LicenseKey = "KEY-TEN", FloatingUsers = 10, MaxBorrowTime = Duration.FromHours(24) });
        _fixture = await EmulatorFixture.StartAsync(seed);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Concurrent_borrows_of_distinct_devices_take_exactly_the_seats_there_are()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-TEN");

        bool[] borrowed = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, $"hw-{i}", key));
                return true;
            }
            catch (FloatingNotAvailableException)
            {
                return false;
            }
        }));

        Assert.Equal(10, borrowed.Count(ok => ok));
        Assert.Equal(10, _fixture.Emulator.SeatsInUse(20));
    }

    [Fact]
    public async Task A_seat_borrowed_again_is_held_until_its_latest_end_not_its_first()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-OK");
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", key) { BorrowedUntil = Now + Duration.FromHours(1) });
        for (int minutes = 61; minutes <= 180; minutes++)
        {
            // Many borrows again, each with a later end, leave many earlier ends behind.
            await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", key) { BorrowedUntil = Now + Duration.FromMinutes(minutes) });
        }

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", key) { BorrowedUntil = Now + Duration.FromHours(1) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-c", key)));

        _fixture.Clock.Advance(Duration.FromHours(2));
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(1));
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-c", key) { BorrowedUntil = Now + Duration.FromHours(5) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-d", key)));

        _fixture.Clock.Advance(Duration.FromHours(1));
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_seat_released_and_borrowed_again_is_not_freed_by_the_first_borrows_end()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");
        var release = new ReleaseRequest(EmulatorFixture.Product, "hw-a", key);
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", key) { BorrowedUntil = Now + Duration.FromHours(1) });
        await client.ReleaseAsync(release);
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", key) { BorrowedUntil = Now + Duration.FromHours(3) });

        _fixture.Clock.Advance(Duration.FromHours(2));
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", key)));

        _fixture.Clock.Advance(Duration.FromHours(1));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(7));
        await Assert.ThrowsAsync<DeviceNotFoundException>(() => client.ReleaseAsync(release));
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", key));
    }
}
