using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Emulator;

/// <summary>The README's "Testing your app with the emulator" examples, kept compiling and passing.</summary>
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
                Licenses =
                [
                    new EmulatedLicense
                    {
                        Id = 1, Product = "app", LicenseKey = "KEY", FloatingUsers = 1,
                        Devices = [new EmulatedDevice { HardwareId = "laptop-1" }, new EmulatedDevice { HardwareId = "laptop-2" }],
                    },
                ],
            },
        });
        using var client = new LicenseApiClient(emulator.CreateClientOptions());
        var key = LicenseCredential.FromLicenseKey("KEY");

        await client.BorrowAsync(new BorrowRequest("app", "laptop-1", key) { BorrowedUntil = clock.GetCurrentInstant() + Duration.FromHours(1) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest("app", "laptop-2", key)));

        clock.Advance(Duration.FromHours(2));
        await client.BorrowAsync(new BorrowRequest("app", "laptop-2", key));
    }

    [Fact]
    public async Task A_released_feature_seat_is_free_for_the_next_device()
    {
        var export = new EmulatedFeature { Code = "export", FloatingUsers = 1, MaxBorrowTime = Duration.FromHours(8) };
        await using var emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions
        {
            Seed = new EmulatorSeed
            {
                Products = [new EmulatedProduct { Code = "app" }],
                Licenses = [new EmulatedLicense { Id = 1, Product = "app", LicenseKey = "KEY", Features = [export] }],
            },
            AutoActivateDevices = true,
        });
        using var client = new LicenseApiClient(emulator.CreateClientOptions());
        var key = LicenseCredential.FromLicenseKey("KEY");

        await client.BorrowFeatureAsync(new FeatureBorrowRequest("app", "export", "laptop-1", key));
        Assert.Equal(1, emulator.FeatureSeatsInUse(1, "export"));

        var release = new FeatureReleaseRequest("app", "export", "laptop-1", key);
        await client.ReleaseFeatureAsync(release);
        await Assert.ThrowsAsync<FeatureNotInUseException>(() => client.ReleaseFeatureAsync(release));
        await client.BorrowFeatureAsync(new FeatureBorrowRequest("app", "export", "laptop-2", key));
    }
}
