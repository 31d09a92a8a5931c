using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Emulator;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>Many seats through one client at once: every one held, every one released once, no seat left in use.</summary>
public sealed class ConcurrentSeatsTests
{
    private const int Seats = 200;

    [Fact]
    public async Task Two_hundred_seats_are_acquired_and_released_concurrently_through_one_client_without_a_leak_or_a_handler_run_twice()
    {
        EmulatorSeed seed = EmulatorFixture.Seed();
        seed.Licenses.Add(new EmulatedLicense { Id = 100, Product = EmulatorFixture.Product, LicenseKey = "KEY-MANY", FloatingUsers = Seats + 50, MaxBorrowTime = Duration.FromHours(24) });
        await using SeatWorld world = await SeatWorld.StartAsync(seed);
        LicenseClientOptions clientOptions = world.ClientOptions();
        clientOptions.Retry.MaxRetries = 3;
        using var client = new LicenseApiClient(clientOptions);
        SeatEvents[] events = Enumerable.Range(0, Seats).Select(_ => new SeatEvents()).ToArray();

        FloatingSeat[] seats = await Task.WhenAll(Enumerable.Range(0, Seats).Select(i => Task.Run(
            () => SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-MANY", $"pc-{i:D3}"), world.Options(events[i])))));

        Assert.All(seats, seat => Assert.Equal(SeatState.Held, seat.State));
        Assert.Equal(Seats, world.Emulator.SeatsInUse(100));
        int releasesBefore = world.Emulator.RequestCountOf(LicenseApiEmulator.ReleasePath);

        // Each seat is released and disposed at once, by two callers.
        var releasing = new List<Task>();
        foreach (FloatingSeat seat in seats)
        {
            releasing.Add(Task.Run(() => seat.ReleaseAsync()));
            releasing.Add(Task.Run(async () => await seat.DisposeAsync()));
        }

        await Task.WhenAll(releasing);

        Assert.Equal(0, world.Emulator.SeatsInUse(100));
        Assert.Equal(Seats, world.Emulator.RequestCountOf(LicenseApiEmulator.ReleasePath) - releasesBefore);
        Assert.All(seats, seat => Assert.Equal(SeatState.Released, seat.State));
        Assert.All(events, seen => Assert.Equal(
            [(SeatState.Acquiring, SeatState.Held), (SeatState.Held, SeatState.Released)],
            seen.Seen.Select(e => (e.PreviousState, e.State))));
    }
}
