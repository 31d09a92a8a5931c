using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace LicenseClient.Tests;

/// <summary>
/// The netstandard2.0 build's FloatingSeat, whose waits and release deadline run on Microsoft.Bcl.TimeProvider's
/// Delay and CreateCancellationTokenSource rather than the runtime's: driven by a fake time provider, never sleeping.
/// </summary>
public sealed class SeatTimingTests
{
    private static readonly SeatRequest Request = new("app", "pc-ns", LicenseCredential.FromLicenseKey("KEY"));

    [Fact]
    public async Task The_seat_renews_a_tenth_of_the_borrow_before_its_end_and_journals_a_release_that_times_out()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var client = new ScriptedClient(time);
        var store = new InMemoryBorrowReceiptStore();
        var options = new SeatOptions { TimeProvider = time, ReceiptStore = store, ReleaseTimeout = TimeSpan.FromSeconds(5) };

        FloatingSeat seat = await FloatingSeat.AcquireAsync(client, Request, options);
        Assert.Equal(SeatState.Held, seat.State);
        Assert.Equal(1, client.Borrows);

        // An 8-hour borrow renews 48 minutes before its end, and not a tick earlier.
        time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(48) - TimeSpan.FromTicks(1));
        Assert.Equal(1, client.Borrows);
        time.Advance(TimeSpan.FromTicks(1));
        await client.SecondBorrow.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => seat.State == SeatState.Held && seat.BorrowedUntil == client.LastUntil);

        // The release never answers: at ReleaseTimeout it is journalled.
        Task<bool> release = seat.ReleaseAsync();
        await client.ReleaseStarted.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(await release.WaitAsync(TimeSpan.FromSeconds(30)));
        PendingRelease pending = Assert.Single(await store.LoadPendingReleasesAsync());
        Assert.Equal("app", pending.Product);
        Assert.Equal(SeatState.Released, seat.State);
    }

    /// <summary>Polls, for at most 30 seconds, for a state the seat reaches on another thread.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Grants 8-hour borrows at the fake time; a release waits until it is cancelled.</summary>
    private sealed class ScriptedClient(FakeTimeProvider time) : ILicenseApiClient
    {
        private readonly TaskCompletionSource<bool> _secondBorrow = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _releaseStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _borrows;

        public int Borrows => Volatile.Read(ref _borrows);

        public Instant LastUntil { get; private set; }

        public Task SecondBorrow => _secondBorrow.Task;

        public Task ReleaseStarted => _releaseStarted.Task;

        public Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
        {
            LastUntil = Instant.FromDateTimeOffset(time.GetUtcNow()) + Duration.FromHours(8);
            if (Interlocked.Increment(ref _borrows) == 2)
            {
                _secondBorrow.TrySetResult(true);
            }

            return Task.FromResult(new BorrowedLicense(LastUntil, Duration.FromHours(8), 1, 2));
        }

        public async Task ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
        {
            _releaseStarted.TrySetResult(true);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task<BorrowedFeature> BorrowFeatureAsync(FeatureBorrowRequest request, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public Task ReleaseFeatureAsync(FeatureReleaseRequest request, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }
}
