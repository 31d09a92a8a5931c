using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using NodaTime;

namespace LicenseClient;

/// <summary>An <see cref="IBorrowReceiptStore"/> in memory, for tests: nothing survives the process. Safe to share between threads.</summary>
public sealed class InMemoryBorrowReceiptStore : IBorrowReceiptStore
{
    private readonly ConcurrentDictionary<(string Product, string Feature), BorrowReceipt> _receipts = new();
    private readonly ConcurrentDictionary<(string Product, string Feature, string HardwareId), PendingRelease> _pending = new();
    private readonly object _gate = new();
    private Instant? _trustedTime;

    /// <summary>How many receipts are stored.</summary>
    public int Count => _receipts.Count;

    /// <inheritdoc />
    public Task SaveAsync(BorrowReceipt receipt, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(receipt, nameof(receipt));
        cancellationToken.ThrowIfCancellationRequested();
        _receipts[(receipt.Product, receipt.Feature ?? "")] = receipt;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ReceiptLoadResult> LoadAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
    {
        var key = Key(product, feature);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_receipts.TryGetValue(key, out BorrowReceipt? receipt)
            ? new ReceiptLoadResult(ReceiptLoadStatus.Found, receipt, location: null)
            : new ReceiptLoadResult(ReceiptLoadStatus.NotFound, null, location: null, "No receipt is stored for that product and feature."));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
    {
        var key = Key(product, feature);
        cancellationToken.ThrowIfCancellationRequested();
        _receipts.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Instant?> LoadTrustedTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_trustedTime);
        }
    }

    /// <inheritdoc />
    public Task SaveTrustedTimeAsync(Instant trustedTime, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _trustedTime = trustedTime;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SavePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(release, nameof(release));
        cancellationToken.ThrowIfCancellationRequested();
        _pending[PendingKey(release)] = release;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PendingRelease>> LoadPendingReleasesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<PendingRelease>>(_pending.Values.ToArray());
    }

    /// <inheritdoc/>
    public Task DeletePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(release, nameof(release));
        cancellationToken.ThrowIfCancellationRequested();
        ((ICollection<KeyValuePair<(string, string, string), PendingRelease>>)_pending).Remove(new(PendingKey(release), release));
        return Task.CompletedTask;
    }

    private static (string Product, string Feature, string HardwareId) PendingKey(PendingRelease release)
        => (release.Product, release.Feature ?? "", release.HardwareId);

    private static (string Product, string Feature) Key(string product, string? feature)
        => (Guard.NotBlank(product, nameof(product)), Guard.NullOrNotBlank(feature, nameof(feature)) ?? "");
}
