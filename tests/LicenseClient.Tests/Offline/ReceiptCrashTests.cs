using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Offline;

/// <summary>
/// Real writer processes (tests/LicenseClient.ReceiptWriter) saving receipts in a loop, killed mid-save or racing each
/// other: the stored receipt is always one whole write.
/// </summary>
public sealed class ReceiptCrashTests : IDisposable
{
    private const string Product = "crash-test";

    private readonly Receipts.TemporaryFolder _folder = Receipts.NewFolder();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_writer_killed_mid_save_twenty_times_never_leaves_a_torn_receipt()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        for (int kill = 0; kill < 20; kill++)
        {
            // Killed the moment it says "saving n", so the kill lands while receipt n is being written over n - 1.
            using Writer writer = Writer.Start(_folder.Path, "w" + kill, killWhenSaving: 1 + (kill % 5));
            await writer.WaitForExitAsync();

            ReceiptLoadResult load = await store.LoadAsync(Product);
            Assert.True(load.Status == ReceiptLoadStatus.Found, $"After kill {kill}: {load.Status} ({load.Message})");
            AssertWhole(load.Receipt!);
        }
    }

    [Fact]
    public async Task A_journal_writer_killed_mid_save_ten_times_never_leaves_a_torn_pending_release()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        for (int kill = 0; kill < 10; kill++)
        {
            using Writer writer = Writer.Start(_folder.Path, name: null, killWhenSaving: 1 + (kill % 5));
            await writer.WaitForExitAsync();

            // One entry, whole: entry n has license id n + 1 and a bundle code of (n % 7 + 1) × 8 KiB.
            PendingRelease release = Assert.Single(await store.LoadPendingReleasesAsync());
            long n = release.LicenseId!.Value - 1;
            Assert.Equal((int)((n % 7) + 1) * 8192, release.BundleCode!.Length);
            Assert.Equal(Instant.FromUnixTimeSeconds(n), release.RecordedAt);
        }
    }

    [Fact]
    public async Task Two_writers_saving_at_once_never_produce_an_unreadable_receipt()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        using Writer first = Writer.Start(_folder.Path, "a");
        using Writer second = Writer.Start(_folder.Path, "b");
        await Eventually.TrueAsync(() => first.SavedAtLeast(1) && second.SavedAtLeast(1), withinSeconds: 30);

        int loads = 0;
        var elapsed = Stopwatch.StartNew();
        while (first.Saves < 150 || second.Saves < 150)
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(60), $"The writers saved only {first.Saves} and {second.Saves} times within 60 seconds.");
            ReceiptLoadResult load = await store.LoadAsync(Product);
            Assert.True(load.Status == ReceiptLoadStatus.Found, $"Load {loads}: {load.Status} ({load.Message})");
            AssertWhole(load.Receipt!);
            loads++;

            // The next load sees a file at least one more save has replaced.
            int saves = first.Saves + second.Saves;
            await Eventually.TrueAsync(
                () =>
                {
                    first.ThrowIfExited();
                    second.ThrowIfExited();
                    return first.Saves + second.Saves > saves;
                },
                withinSeconds: 30);
        }

        first.Kill();
        second.Kill();
        AssertWhole((await store.LoadAsync(Product)).Receipt!);
        Assert.True(loads > 0);
    }

    /// <summary>The body is one writer's whole receipt n: its padding is the length n calls for, and the rest matches.</summary>
    private static void AssertWhole(BorrowReceipt receipt)
    {
        using JsonDocument body = JsonDocument.Parse(receipt.Body);
        long n = body.RootElement.GetProperty("n").GetInt64();
        string writer = body.RootElement.GetProperty("writer").GetString()!;
        Assert.Equal((int)((n % 7) + 1) * 8192, body.RootElement.GetProperty("pad").GetString()!.Length);
        Assert.Equal("signature-" + n, receipt.Signature);
        Assert.Equal("hw-" + writer, receipt.HardwareId);
    }

    /// <summary>
    /// A running writer process (receipts, or with no name the journal of pending releases) and the saves it has
    /// reported; optionally killed the moment it starts a given save.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private readonly Process _process;
        private readonly long? _killWhenSaving;
        private readonly Task _reading;
        private int _saves;

        private Writer(Process process, long? killWhenSaving)
        {
            _process = process;
            _killWhenSaving = killWhenSaving;
            _reading = ReadAsync();
        }

        public int Saves => Volatile.Read(ref _saves);

        public static Writer Start(string folder, string? name, long? killWhenSaving = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Repository.TestProgramDll("LicenseClient.ReceiptWriter"));
            if (name is null)
            {
                start.ArgumentList.Add("journal");
                start.ArgumentList.Add(folder);
            }
            else
            {
                start.ArgumentList.Add(folder);
                start.ArgumentList.Add(name);
            }

            return new Writer(Process.Start(start)!, killWhenSaving);
        }

        /// <summary>Whether the writer has reported <paramref name="count"/> saves; throws if it ended by itself.</summary>
        public bool SavedAtLeast(int count)
        {
            if (Saves >= count)
            {
                return true;
            }

            ThrowIfExited();
            return false;
        }

        /// <summary>Waits, up to 30 seconds, for the writer to be killed on its "saving" line.</summary>
        public async Task WaitForExitAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
            await _reading.WaitAsync(deadline.Token);
            Assert.True(_killWhenSaving is null || Saves >= _killWhenSaving, $"The writer stopped after {Saves} saves, before save {_killWhenSaving}.");
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _reading.Wait(TimeSpan.FromSeconds(10));
            _process.Dispose();
        }

        public void ThrowIfExited()
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The writer ended by itself (exit code {_process.ExitCode}): {_process.StandardError.ReadToEnd()}");
            }
        }

        private async Task ReadAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is string line)
            {
                if (line.StartsWith("saved ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _saves);
                }
                else if (_killWhenSaving is long target && line == "saving " + target)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
    }
}
