using System;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LicenseClient.Tests.DependencyInjection;

public sealed class AddLicenseSeatTests
{
    private static readonly SeatRequest Request = new(EmulatorFixture.Product, "pc-host", LicenseCredential.FromLicenseKey("KEY-OK"));

    [Fact]
    public async Task The_hosted_service_holds_a_seat_from_start_to_stop_with_the_containers_receipt_store()
    {
        await using EmulatorFixture fixture = await EmulatorFixture.StartAsync();
        var store = new InMemoryBorrowReceiptStore();
        int changes = 0;
        var services = new ServiceCollection();
        services.AddSingleton<IBorrowReceiptStore>(store);
        services.AddLicenseClient(options => Copy(fixture.Options(), options));
        services.AddLicenseSeat(Request, options => options.StateChanged = (_, _) => changes++);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHostedService hosted = Assert.Single(provider.GetServices<IHostedService>());
        LicenseSeatService seats = provider.GetRequiredService<LicenseSeatService>();
        Assert.Same(seats, hosted);
        Assert.Null(seats.Seat);

        await hosted.StartAsync(default);

        Assert.Equal(SeatState.Held, seats.Seat!.State);
        Assert.Equal(1, fixture.Emulator.SeatsInUse(1));
        Assert.Equal(1, store.Count);

        await hosted.StopAsync(default);

        Assert.Equal(SeatState.Released, seats.Seat.State);
        Assert.Equal(0, fixture.Emulator.SeatsInUse(1));
        Assert.Equal(0, store.Count);
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task A_refused_seat_stops_the_host_from_starting_with_the_typed_exception()
    {
        await using EmulatorFixture fixture = await EmulatorFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddLicenseClient(options => Copy(fixture.Options(), options));
        services.AddLicenseSeat(_ => Request with { Credential = LicenseCredential.FromLicenseKey("KEY-DISABLED") }, configure: null);
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<LicenseNotEnabledException>(() => provider.GetServices<IHostedService>().Single().StartAsync(default));
        Assert.Null(provider.GetRequiredService<LicenseSeatService>().Seat);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>("request", () => services.AddLicenseSeat((SeatRequest)null!, configure: null));
        Assert.Throws<ArgumentNullException>("request", () => services.AddLicenseSeat((Func<IServiceProvider, SeatRequest>)null!, configure: null));
        Assert.Throws<ArgumentNullException>("services", () => ((IServiceCollection)null!).AddLicenseSeat(Request, configure: null));
    }

    private static void Copy(LicenseClientOptions from, LicenseClientOptions to)
    {
        to.BaseAddress = from.BaseAddress;
        to.ApiKey = from.ApiKey;
        to.SharedKey = from.SharedKey;
        to.Clock = from.Clock;
        to.ServerPublicKey = from.ServerPublicKey;
        to.Retry.BaseDelay = TimeSpan.Zero;
        to.Retry.MaxDelay = TimeSpan.Zero;
    }
}
