using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Emulator;

/// <summary>The README's "Testing your app with the emulator" example, kept compiling and passing.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task The_second_device_waits_for_a_seat()
    {
        var clock = new FakeClock(Instant.FromUtc(2030, 1, 1, 12, 0));
        await using var emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions
        {
            Clock = clock,
            Seed = new EmulatorSeed
            {
                Products = [new EmulatedProduct { Code = "app" }],
                Licenses = [new EmulatedLicense { Id = 1, Product = "app", LicenseKey = "KEY", FloatingUsers = 1 }],
            },
        });
        using var client = new LicenseApiClient(emulator.CreateClientOptions());
        var key = LicenseCredential.FromLicenseKey("KEY");

        await client.BorrowAsync(new BorrowRequest("app", "laptop-1", key) { BorrowedUntil = clock.GetCurrentInstant() + Duration.FromHours(1) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest("app", "laptop-2", key)));

        clock.Advance(Duration.FromHours(2));
        await client.BorrowAsync(new BorrowRequest("app", "laptop-2", key));
    }
}
