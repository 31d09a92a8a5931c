using System;
using System.Collections.Generic;
using System.IO;
using LicenseClient;
using LicenseClient.Samples.Hosting;
using LicenseClient.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A generic-host app that borrows a floating seat at start-up. The client is registered with
// AddLicenseClient and configured from the "LicenseClient" section of appsettings.json. With
// "Emulator:Enabled" true (the default here), a local License API emulator stands in for the server.
// Every borrow's receipt is kept in a FileBorrowReceiptStore ("Borrow:ReceiptFolder", default: under local
// application data); when the License API cannot be reached, the app starts offline from that receipt, if it is
// genuine and, when "Borrow:CompanyId" is set (do set it in a real app), of your LicenseSpring company.
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

string? receiptFolder = builder.Configuration["Borrow:ReceiptFolder"];
builder.Services.AddSingleton<IBorrowReceiptStore>(new FileBorrowReceiptStore(string.IsNullOrWhiteSpace(receiptFolder) ? FileBorrowReceiptStore.DefaultFolder : receiptFolder));
builder.Services.AddLicenseClient(builder.Configuration.GetSection("LicenseClient"));
builder.Services.Configure<BorrowSettings>(builder.Configuration.GetSection("Borrow"));
builder.Services.AddHostedService<BorrowAtStartup>();

try
{
    using IHost host = builder.Build();
    await host.RunAsync();
    return Environment.ExitCode;
}
finally
{
    if (emulator is not null)
    {
        await emulator.DisposeAsync();
    }
}
