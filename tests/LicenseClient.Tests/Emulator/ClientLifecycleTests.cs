using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Tests.Emulator;

/// <summary>The client's four floating operations against the emulator, end to end: a seat's whole life.</summary>
public sealed class ClientLifecycleTests : IAsyncLifetime
{
    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_released_seat_goes_to_the_next_device_and_a_second_release_is_device_not_found()
    {
        using LicenseApiClient client = _fixture.Client();
        LicenseCredential key = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "laptop-a", key));
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "laptop-b", key)));
        await client.ReleaseAsync(new ReleaseRequest(EmulatorFixture.Product, "laptop-a", key));
        DeviceNotFoundException again = await Assert.ThrowsAsync<DeviceNotFoundException>(
            () => client.ReleaseAsync(new ReleaseRequest(EmulatorFixture.Product, "laptop-a", key)));
        BorrowedLicense next = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "laptop-b", key));

        Assert.Equal(LicenseApiOperation.Release, again.Operation);
        Assert.Equal(7, next.LicenseId);
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task A_seat_borrowed_by_id_token_is_released_by_the_user_it_signed_in()
    {
        using LicenseApiClient client = _fixture.Client();

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromIdToken("token-ada", "acme")));
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(6));
        await client.ReleaseAsync(new ReleaseRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromUsername("ada@example.com")));

        Assert.Equal(0, _fixture.Emulator.SeatsInUse(6));
    }

    [Fact]
    public async Task A_feature_seat_is_borrowed_for_the_features_maximum_then_released_and_a_second_release_is_not_in_use()
    {
        using LicenseApiClient client = _fixture.Client();
        LicenseCredential user = LicenseCredential.FromUser("ada@example.com", "pw-ada");

        BorrowedFeature borrowed = await client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-1", user));
        Assert.Equal(1, _fixture.Emulator.FeatureSeatsInUse(6, "export"));
        await client.ReleaseFeatureAsync(new FeatureReleaseRequest(EmulatorFixture.Product, "export", "hw-1", user));
        FeatureNotInUseException again = await Assert.ThrowsAsync<FeatureNotInUseException>(
            () => client.ReleaseFeatureAsync(new FeatureReleaseRequest(EmulatorFixture.Product, "export", "hw-1", user)));

        Assert.Equal(new BorrowedFeature("export", Now + Duration.FromHours(6), Duration.FromHours(6), borrowed.DeviceId, 6), borrowed);
        Assert.Equal(0, _fixture.Emulator.FeatureSeatsInUse(6, "export"));
        Assert.Equal(LicenseApiOperation.ReleaseFeature, again.Operation);
    }

    [Fact]
    public async Task Feature_errors_arrive_typed_from_the_emulator()
    {
        using LicenseApiClient client = _fixture.Client();
        LicenseCredential key = LicenseCredential.FromLicenseKey("KEY-OK");

        await Assert.ThrowsAsync<UnknownFeatureException>(() => client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "no-such", "hw-1", key)));
        await Assert.ThrowsAsync<FeatureNotFloatingException>(() => client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "reports", "hw-1", key)));
        await client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-1", key));
        FloatingNotAvailableException taken = await Assert.ThrowsAsync<FloatingNotAvailableException>(
            () => client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-2", key)));

        Assert.Equal(LicenseApiOperation.BorrowFeature, taken.Operation);
    }
}
