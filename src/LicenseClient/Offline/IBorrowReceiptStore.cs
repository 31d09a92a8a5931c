using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Keeps <see cref="BorrowReceipt"/>s, one per product (and feature), and the trusted-time mark that
/// <see cref="BorrowReceiptChecker"/> uses to notice a clock wound back. Set one as
/// <see cref="LicenseClientOptions.ReceiptStore"/> and the client saves every borrow's receipt and deletes it on release.
/// </summary>
/// <remarks>
/// <see cref="FileBorrowReceiptStore"/> keeps them in files, written atomically; <see cref="InMemoryBorrowReceiptStore"/>
/// keeps them in memory, for tests. The store also keeps the journal of <see cref="PendingRelease"/>s: releases a
/// <see cref="FloatingSeat"/> could not send, sent by the next <see cref="FloatingSeat.AcquireAsync"/>.
/// </remarks>
public interface IBorrowReceiptStore
{
    /// <summary>Saves <paramref name="receipt"/> in place of any receipt stored for its product and feature.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="cancellationToken">Cancels the save before it starts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="receipt"/> is null.</exception>
    /// <exception cref="IOException">The receipt could not be written; what was stored before is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The store may not be written.</exception>
    Task SaveAsync(BorrowReceipt receipt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the receipt stored for <paramref name="product"/> and <paramref name="feature"/>. A stored receipt that cannot be
    /// read is reported by the result's status, never thrown, and left in place.
    /// </summary>
    /// <param name="product">The product code.</param>
    /// <param name="feature">The feature code, or <see langword="null"/> for the license's own receipt.</param>
    /// <param name="cancellationToken">Cancels the load before it starts.</param>
    /// <exception cref="ArgumentException"><paramref name="product"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    Task<ReceiptLoadResult> LoadAsync(string product, string? feature = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the receipt stored for <paramref name="product"/> and <paramref name="feature"/>, if there is one.</summary>
    /// <param name="product">The product code.</param>
    /// <param name="feature">The feature code, or <see langword="null"/> for the license's own receipt.</param>
    /// <param name="cancellationToken">Cancels the delete before it starts.</param>
    /// <exception cref="ArgumentException"><paramref name="product"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    /// <exception cref="IOException">The receipt could not be deleted.</exception>
    /// <exception cref="UnauthorizedAccessException">The store may not be written.</exception>
    Task DeleteAsync(string product, string? feature = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The trusted-time mark: the latest time a check or a verified answer showed to have passed, or <see langword="null"/>
    /// when none is stored (or the stored one cannot be read).
    /// </summary>
    /// <param name="cancellationToken">Cancels the load before it starts.</param>
    Task<Instant?> LoadTrustedTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="trustedTime"/> as the trusted-time mark, as given (the checker decides when it moves).</summary>
    /// <param name="trustedTime">The new mark.</param>
    /// <param name="cancellationToken">Cancels the save before it starts.</param>
    /// <exception cref="IOException">The mark could not be written; the old one is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The store may not be written.</exception>
    Task SaveTrustedTimeAsync(Instant trustedTime, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="release"/> to the journal of pending releases, in place of any entry for its product,
    /// feature and hardware id, atomically: a crash leaves the old entry or the new one, never a part.
    /// </summary>
    /// <param name="release">The release that could not be sent.</param>
    /// <param name="cancellationToken">Cancels the save before it starts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    /// <exception cref="IOException">The entry could not be written; the journal is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The store may not be written.</exception>
    Task SavePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default);

    /// <summary>Reads the journal of pending releases. Entries that cannot be read are left out, and left in place.</summary>
    /// <param name="cancellationToken">Cancels the load before it starts.</param>
    /// <returns>The pending releases, in no particular order; empty when there are none.</returns>
    Task<IReadOnlyList<PendingRelease>> LoadPendingReleasesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="release"/> from the journal: the entry for its product, feature and hardware id, if it is
    /// still that release. An entry written since (a newer failed release of the same seat) stays.
    /// </summary>
    /// <param name="release">The release that was sent, as <see cref="LoadPendingReleasesAsync"/> returned it.</param>
    /// <param name="cancellationToken">Cancels the delete before it starts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    /// <exception cref="IOException">The entry could not be deleted.</exception>
    /// <exception cref="UnauthorizedAccessException">The store may not be written.</exception>
    Task DeletePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default);
}
