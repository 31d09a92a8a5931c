using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Emulator;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Seats;

/// <summary>
/// A real process (tests/LicenseClient.ReceiptWriter, mode hold-seat) acquires a seat and is killed while holding it:
/// the next start releases that stale seat before it borrows, and no seat leaks.
/// </summary>
public sealed class SeatCrashTests : IDisposable
{
    private const string HardwareId = "pc-crash";

    private readonly Offline.Receipts.TemporaryFolder _folder = Offline.Receipts.NewFolder();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_process_killed_while_holding_a_seat_has_it_released_by_the_next_start_before_it_borrows()
    {
        // The real clock: the child signs its requests with it, and the emulator checks them against its own.
        await using LicenseApiEmulator emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions { Seed = EmulatorFixture.Seed(), AutoActivateDevices = true });
        string keyFile = Path.Combine(_folder.Path, "server-key.pem");
        await File.WriteAllTextAsync(keyFile, emulator.PublicKeyPem);

        await HoldSeatThenKillAsync(emulator, keyFile);
        Assert.Equal(1, emulator.SeatsInUse(1));
        var store = new FileBorrowReceiptStore(_folder.Path);
        Assert.Equal(ReceiptLoadStatus.Found, (await store.LoadAsync(EmulatorFixture.Product)).Status);

        LicenseClientOptions options = emulator.CreateClientOptions();
        options.ReceiptStore = store;
        using var client = new LicenseApiClient(options);
        int before = emulator.RequestCount;
        FloatingSeat seat = await FloatingSeat.AcquireAsync(client, new SeatRequest(EmulatorFixture.Product, HardwareId, LicenseCredential.FromLicenseKey("KEY-OK")));

        // The stale seat's release, then the borrow: two requests, and still one seat.
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(2, emulator.RequestCount - before);
        Assert.Equal(1, emulator.SeatsInUse(1));

        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, emulator.SeatsInUse(1));
        Assert.Empty(await store.LoadPendingReleasesAsync());
    }

    /// <summary>Starts the child, waits (at most 60 seconds) for it to say it holds the seat, and kills it.</summary>
    private async Task HoldSeatThenKillAsync(LicenseApiEmulator emulator, string keyFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            Repository.TestProgramDll("LicenseClient.ReceiptWriter"), "hold-seat", _folder.Path, emulator.BaseAddress.AbsoluteUri,
            emulator.ApiKey, emulator.SharedKey, keyFile, EmulatorFixture.Product, HardwareId, "KEY-OK",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start)!;
        Task<string> errors = child.StandardError.ReadToEndAsync();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("held ", StringComparison.Ordinal))
            {
            }

            Assert.True(line is not null, child.HasExited ? $"The child ended (exit code {child.ExitCode}) before it held a seat: {await errors.WaitAsync(deadline.Token)}" : "The child closed its output before it held a seat.");
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
    }
}
