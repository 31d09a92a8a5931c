using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient.Tests.Offline;

/// <summary>An in-memory store whose operations can be made to fail, or to run something first.</summary>
public sealed class ScriptedStore : IBorrowReceiptStore
{
    private readonly InMemoryBorrowReceiptStore _inner = new();

    public Exception? SaveFailure { get; set; }

    public Exception? DeleteFailure { get; set; }

    public Exception? MarkFailure { get; set; }

    public Action? BeforeSave { get; set; }

    public Task SaveAsync(BorrowReceipt receipt, CancellationToken cancellationToken = default)
    {
        BeforeSave?.Invoke();
        return SaveFailure is null ? _inner.SaveAsync(receipt, cancellationToken) : throw SaveFailure;
    }

    public Task<ReceiptLoadResult> LoadAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
        => _inner.LoadAsync(product, feature, cancellationToken);

    public Task DeleteAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
        => DeleteFailure is null ? _inner.DeleteAsync(product, feature, cancellationToken) : throw DeleteFailure;

    public Task<Instant?> LoadTrustedTimeAsync(CancellationToken cancellationToken = default)
        => _inner.LoadTrustedTimeAsync(cancellationToken);

    public Task SaveTrustedTimeAsync(Instant trustedTime, CancellationToken cancellationToken = default)
        => MarkFailure is null ? _inner.SaveTrustedTimeAsync(trustedTime, cancellationToken) : throw MarkFailure;

    public Task SavePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
        => _inner.SavePendingReleaseAsync(release, cancellationToken);

    public Task<IReadOnlyList<PendingRelease>> LoadPendingReleasesAsync(CancellationToken cancellationToken = default)
        => _inner.LoadPendingReleasesAsync(cancellationToken);

    public Task DeletePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
        => _inner.DeletePendingReleaseAsync(release, cancellationToken);
}
