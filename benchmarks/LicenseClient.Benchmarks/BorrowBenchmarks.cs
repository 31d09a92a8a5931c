using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LicenseClient.Floating;

namespace LicenseClient.Benchmarks;

/// <summary>
/// Whole borrows against <see cref="SignedAnswerServer"/>, side by side with the hand-written floor. Each invocation
/// runs <see cref="BorrowsPerInvocation"/> borrows on <see cref="Concurrency"/> lanes at once, so Mean is the time
/// per borrow (the inverse of throughput) and Allocated the bytes per borrow, the in-process server's share included
/// (the same for every case).
/// </summary>
[MemoryDiagnoser]
public class BorrowBenchmarks
{
    private const int BorrowsPerInvocation = 64;

    private SignedAnswerServer _server = null!;
    private FloorClient _floor = null!;
    private LicenseApiClient _client = null!;
    private LicenseApiClient _unverified = null!;
    private LicenseApiClient _refused = null!;

    [Params(1, 16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = SignedAnswerServer.StartAsync().GetAwaiter().GetResult();
        byte[] body = FloatingOperations.Borrow.WriteBody(Borrowing.Request);
        _floor = new FloorClient(_server.BaseAddress, _server.PublicKeyPem, Borrowing.ApiKey, Borrowing.SharedKey, body);
        _client = new LicenseApiClient(Borrowing.Options(_server, _server.BaseAddress));
        _unverified = new LicenseApiClient(Borrowing.Options(_server, _server.BaseAddress, verify: false));
        _refused = new LicenseApiClient(Borrowing.Options(_server, _server.RefusingAddress));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _client.Dispose();
        _unverified.Dispose();
        _refused.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BorrowsPerInvocation, Description = "Floor (HttpClient loop)")]
    public Task Floor() => RunAsync(static async self => await self._floor.BorrowAsync(CancellationToken.None));

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "LicenseApiClient.BorrowAsync")]
    public Task Client() => RunAsync(static async self => await self._client.BorrowAsync(Borrowing.Request));

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync, signatures not checked")]
    public Task ClientUnverified() => RunAsync(static async self => await self._unverified.BorrowAsync(Borrowing.Request));

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync refused (floating_not_available)")]
    public Task ClientRefused() => RunAsync(static async self =>
    {
        try
        {
            await self._refused.BorrowAsync(Borrowing.Request);
            throw new InvalidOperationException("The borrow was not refused.");
        }
        catch (FloatingNotAvailableException)
        {
        }
    });

    /// <summary>Runs <see cref="BorrowsPerInvocation"/> borrows on <see cref="Concurrency"/> lanes.</summary>
    private Task RunAsync(Func<BorrowBenchmarks, Task> borrow)
    {
        if (Concurrency == 1)
        {
            return LaneAsync(this, borrow, BorrowsPerInvocation);
        }

        var lanes = new Task[Concurrency];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = LaneAsync(this, borrow, BorrowsPerInvocation / Concurrency);
        }

        return Task.WhenAll(lanes);
    }

    private static async Task LaneAsync(BorrowBenchmarks self, Func<BorrowBenchmarks, Task> borrow, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await borrow(self);
        }
    }
}
