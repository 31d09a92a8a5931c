using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

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
            using Writer writer = Writer.Start(_folder.Path, "w" + kill);

            // Each save after the first replaces a whole receipt, so the kill lands while one is being written.
            await writer.WaitForSavesAsync(2 + (kill % 5));
            writer.Kill();

            ReceiptLoadResult load = await store.LoadAsync(Product);
            Assert.True(load.Status == ReceiptLoadStatus.Found, $"After kill {kill}: {load.Status} ({load.Message})");
            AssertWhole(load.Receipt!);
        }
    }

    [Fact]
    public async Task Two_writers_saving_at_once_never_produce_an_unreadable_receipt()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        using Writer first = Writer.Start(_folder.Path, "a");
        using Writer second = Writer.Start(_folder.Path, "b");
        await first.WaitForSavesAsync(1);
        await second.WaitForSavesAsync(1);

        int loads = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (first.Saves < 150 || second.Saves < 150)
        {
            Assert.False(deadline.IsCancellationRequested, $"The writers saved only {first.Saves} and {second.Saves} times within 60 seconds.");
            ReceiptLoadResult load = await store.LoadAsync(Product);
            Assert.True(load.Status == ReceiptLoadStatus.Found, $"Load {loads}: {load.Status} ({load.Message})");
            AssertWhole(load.Receipt!);
            loads++;
            first.ThrowIfExited();
            second.ThrowIfExited();
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

    /// <summary>A running writer process and the saves it has reported.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly Process _process;
        private readonly Task _reading;
        private int _saves;
        private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Writer(Process process)
        {
            _process = process;
            _reading = ReadAsync();
        }

        public int Saves => Volatile.Read(ref _saves);

        public static Writer Start(string folder, string name)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Repository.TestProgramDll("LicenseClient.ReceiptWriter"));
            start.ArgumentList.Add(folder);
            start.ArgumentList.Add(name);
            return new Writer(Process.Start(start)!);
        }

        /// <summary>Waits, up to 30 seconds, until the writer has reported <paramref name="count"/> saves.</summary>
        public async Task WaitForSavesAsync(int count)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Saves < count)
            {
                ThrowIfExited();
                Task progress = Volatile.Read(ref _progress).Task;
                if (Saves >= count)
                {
                    break;
                }

                await progress.WaitAsync(deadline.Token);
            }
        }

        public void ThrowIfExited()
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The writer ended by itself (exit code {_process.ExitCode}): {_process.StandardError.ReadToEnd()}");
            }
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

        private async Task ReadAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is string line)
            {
                if (line.StartsWith("saved ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _saves);
                    Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }

            Volatile.Read(ref _progress).TrySetResult();
        }
    }
}
