using System;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Emulator;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace LicenseClient.Tests.Offline;

/// <summary>The client keeps receipts in <see cref="LicenseClientOptions.ReceiptStore"/>: saved on borrow, deleted on release.</summary>
public sealed class ReceiptWiringTests : IAsyncLifetime
{
    private EmulatorFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_receipt_from_the_emulator_checks_valid_with_its_key_and_invalid_with_the_production_key()
    {
        var store = new InMemoryBorrowReceiptStore();
        LicenseClientOptions options = _fixture.Options();
        options.ReceiptStore = store;
        using var client = new LicenseApiClient(options);

        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));
        ReceiptCheck withEmulatorKey = await new BorrowReceiptChecker(_fixture.Emulator.PublicKeyPem, _fixture.Clock)
            .CheckStoredAsync(store, EmulatorFixture.Product, "hw-1");
        ReceiptCheck withProductionKey = await new BorrowReceiptChecker(clock: _fixture.Clock)
            .CheckStoredAsync(store, EmulatorFixture.Product, "hw-1");

        Assert.Equal(ReceiptCheckStatus.Valid, withEmulatorKey.Status);
        Assert.Equal(borrowed.BorrowedUntil, withEmulatorKey.BorrowedUntil);
        Assert.Equal(ReceiptCheckStatus.SignatureInvalid, withProductionKey.Status);
        Assert.Equal(_fixture.Clock.GetCurrentInstant(), await store.LoadTrustedTimeAsync());
    }

    [Fact]
    public async Task Borrow_and_feature_borrow_save_their_receipts_and_releases_delete_them()
    {
        using Receipts.TemporaryFolder folder = Receipts.NewFolder();
        var store = new FileBorrowReceiptStore(folder.Path);
        LicenseClientOptions options = _fixture.Options();
        options.ReceiptStore = store;
        using var client = new LicenseApiClient(options);
        LicenseCredential key = LicenseCredential.FromLicenseKey("KEY-OK");

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", key));
        await client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-1", key));
        var checker = new BorrowReceiptChecker(_fixture.Emulator.PublicKeyPem, _fixture.Clock);
        ReceiptCheck feature = await checker.CheckStoredAsync(new FileBorrowReceiptStore(folder.Path), EmulatorFixture.Product, "hw-1", "export");
        Assert.Equal(ReceiptCheckStatus.Valid, feature.Status);
        Assert.Equal(ReceiptCheckStatus.Valid, (await checker.CheckStoredAsync(store, EmulatorFixture.Product, "hw-1")).Status);

        await client.ReleaseFeatureAsync(new FeatureReleaseRequest(EmulatorFixture.Product, "export", "hw-1", key));
        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(EmulatorFixture.Product, "export")).Status);
        Assert.Equal(ReceiptLoadStatus.Found, (await store.LoadAsync(EmulatorFixture.Product)).Status);
        await client.ReleaseAsync(new ReleaseRequest(EmulatorFixture.Product, "hw-1", key));
        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(EmulatorFixture.Product)).Status);
    }

    [Fact]
    public async Task The_receipt_is_the_answer_as_received_with_the_requests_names_and_no_secret()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        var store = new InMemoryBorrowReceiptStore();
        LicenseClientOptions options = api.Options();
        options.ReceiptStore = store;
        using LicenseApiClient client = api.CreateClient(options);

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey("SECRET-KEY-1234"));
        BorrowReceipt receipt = borrowed.Receipt!;

        Assert.Equal(Encoding.UTF8.GetBytes(LicenseApiStub.SuccessBody), receipt.Body.ToArray());
        Assert.Equal(TestKeys.Sign(LicenseApiStub.SuccessBody), receipt.Signature);
        Assert.Equal(api.Clock.GetCurrentInstant(), receipt.ServerDate);
        Assert.Equal(Requests.WithLicenseKey().Product, receipt.Product);
        Assert.Equal(Requests.WithLicenseKey().HardwareId, receipt.HardwareId);
        Assert.Null(receipt.Feature);
        Assert.DoesNotContain("SECRET-KEY-1234", receipt.ToJson(), StringComparison.Ordinal);
        Assert.Same(receipt, (await store.LoadAsync(receipt.Product)).Receipt);
    }

    [Fact]
    public async Task Without_a_store_the_result_still_carries_its_receipt()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        using LicenseApiClient client = api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(Encoding.UTF8.GetBytes(LicenseApiStub.SuccessBody), borrowed.Receipt!.Body.ToArray());
    }

    [Fact]
    public async Task A_store_registered_in_the_container_keeps_the_receipts()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        var store = new InMemoryBorrowReceiptStore();
        var services = new ServiceCollection();
        services.AddSingleton<IBorrowReceiptStore>(store);
        services.AddLicenseClient(api.Configure);
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task The_options_store_wins_over_the_containers()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        var registered = new InMemoryBorrowReceiptStore();
        var configured = new InMemoryBorrowReceiptStore();
        var services = new ServiceCollection();
        services.AddSingleton<IBorrowReceiptStore>(registered);
        services.AddLicenseClient(options =>
        {
            api.Configure(options);
            options.ReceiptStore = configured;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(0, registered.Count);
        Assert.Equal(1, configured.Count);
    }
}
