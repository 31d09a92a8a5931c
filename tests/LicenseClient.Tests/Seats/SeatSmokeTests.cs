using System;
using System.Threading.Tasks;
using LicenseClient.Tests.Emulator;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LicenseClient.Tests.Seats;

public sealed class SeatSmokeTests
{
    [Fact]
    public async Task A_seat_is_held_renewed_and_released()
    {
        await using EmulatorFixture fixture = await EmulatorFixture.StartAsync();
        var time = new FakeTimeProvider(fixture.Clock.GetCurrentInstant().ToDateTimeOffset());
        using LicenseApiClient client = fixture.Client();
        var request = new SeatRequest(EmulatorFixture.Product, "pc-1", LicenseCredential.FromLicenseKey("KEY-OK"));

        FloatingSeat seat = await FloatingSeat.AcquireAsync(client, request, new SeatOptions { TimeProvider = time });

        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(1, fixture.Emulator.SeatsInUse(1));
        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(SeatState.Released, seat.State);
        Assert.Equal(0, fixture.Emulator.SeatsInUse(1));
    }
}
