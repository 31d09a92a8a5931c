using System;
using System.Collections.Generic;
using System.IO;
using LicenseClient;
using LicenseClient.Samples.Hosting;
using LicenseClient.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// A generic-host app that holds a floating seat for as long as it runs. The client is registered with
// AddLicenseClient and configured from the "LicenseClient" section of appsettings.json; AddLicenseSeat acquires the
// seat when the host starts, renews it before it ends, and releases it when the host stops. With "Emulator:Enabled"
// true (the default here), a local License API emulator stands in for the server.
// Every borrow's receipt is kept in a FileBorrowReceiptStore ("Borrow:ReceiptFolder", default: under local application
// data). When the License API cannot be reached, the seat starts offline from that receipt, if it is genuine and, when
// "Borrow:CompanyId" is set (do set it in a real app), of your LicenseSpring company; a release that cannot be sent is
// kept there too, and sent at the next start.
// The client logs through the host's loggers (category "LicenseClient"), here to the console. With "Telemetry:Console"
// true (the default here), the OpenTelemetry SDK also prints each call's span, with the HTTP spans of its attempts,
// as it ends, and the client's metrics every 10 seconds and once more as the app stops.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

LicenseApiEmulator? emulator = null;
if (builder.Configuration.GetValue<bool>("Emulator:Enabled"))
{
    string seedFile = Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Emulator:SeedFile"] ?? "demo-seed.json");
    emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions { Seed = EmulatorSeed.Load(seedFile) });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["LicenseClient:BaseAddress"] = emulator.BaseAddress.AbsoluteUri,
        ["LicenseClient:ApiKey"] = emulator.ApiKey,
        ["LicenseClient:SharedKey"] = emulator.SharedKey,
        ["LicenseClient:ServerPublicKey"] = emulator.PublicKeyPem,
    });
    Console.WriteLine($"Emulator:Enabled is true: borrowing from a local License API emulator at {emulator.BaseAddress}.");
}

builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
if (builder.Configuration.GetValue<bool>("Telemetry:Console"))
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("LicenseClient.Samples.Hosting"))
        .WithTracing(tracing => tracing.AddSource(LicenseClientDiagnostics.ActivitySourceName, "System.Net.Http").AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter(LicenseClientDiagnostics.MeterName).AddConsoleExporter());
}

SeatSettings settings = builder.Configuration.GetSection("Borrow").Get<SeatSettings>() ?? new SeatSettings();
builder.Services.AddSingleton<IBorrowReceiptStore>(new FileBorrowReceiptStore(settings.ReceiptFolder.Length > 0 ? settings.ReceiptFolder : FileBorrowReceiptStore.DefaultFolder));
builder.Services.AddLicenseClient(builder.Configuration.GetSection("LicenseClient"));
builder.Services.AddLicenseSeat(
    _ => settings.ToRequest(),
    (provider, options) =>
    {
        options.ReceiptChecker = new BorrowReceiptChecker(provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value.ServerPublicKey, companyId: settings.CompanyId);
        options.StateChanged = (_, change) => Console.WriteLine(change.State switch
        {
            SeatState.Held => $"Seat: held until {ReportSeat.Local(change.BorrowedUntil)}.",
            SeatState.HeldOffline => $"Seat: the License API cannot be reached ({(change.Failure as LicenseApiException)?.ErrorCode}): held offline from the stored borrow of {settings.Product}, valid until {ReportSeat.Local(change.BorrowedUntil)}.",
            SeatState.Waiting => $"Seat: waiting for a free seat, next try in {change.RetryIn:g} ({change.Failure?.Message}).",
            SeatState.Released => "Seat: released.",
            _ => $"Seat: {change.State}{(change.Failure is null ? "" : $" ({change.Failure.Message})")}.",
        });
    });
builder.Services.AddHostedService<ReportSeat>();

try
{
    using IHost host = builder.Build();
    await host.RunAsync();
    return 0;
}
catch (OfflineSeatRefusedException error)
{
    Console.Error.WriteLine($"The License API cannot be reached ({error.ErrorCode}), and the stored borrow cannot be used ({error.Check.Status}): {error.Check.Message}");
    return 1;
}
catch (LicenseApiException error)
{
    Console.Error.WriteLine($"Borrow failed ({error.ErrorCode}, after {error.Attempts} attempt(s)): {error.Message}");
    return 1;
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"Check the Borrow section of appsettings.json: {error.Message}");
    return 2;
}
finally
{
    if (emulator is not null)
    {
        await emulator.DisposeAsync();
    }
}
