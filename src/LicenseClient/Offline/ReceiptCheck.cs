using System;
using LicenseClient.Internal;
using NodaTime;

namespace LicenseClient;

/// <summary>What <see cref="BorrowReceiptChecker"/> concluded about a receipt, with the facts behind it.</summary>
public sealed class ReceiptCheck
{
    /// <summary>Creates a result (the checker does; tests may too).</summary>
    /// <param name="status">The conclusion.</param>
    /// <param name="checkedAt">The local time of the check.</param>
    /// <param name="borrowedUntil">When the borrow ends, read from the signed body; <see langword="null"/> when the signature did not verify.</param>
    /// <param name="trustedTime">The trusted-time mark after the check, <see langword="null"/> when there is none.</param>
    /// <param name="message">What to tell a person.</param>
    /// <param name="load">What the store found, for a check of a stored receipt.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> is null or blank.</exception>
    public ReceiptCheck(ReceiptCheckStatus status, Instant checkedAt, Instant? borrowedUntil, Instant? trustedTime, string message, ReceiptLoadResult? load = null)
    {
        Status = status;
        CheckedAt = checkedAt;
        BorrowedUntil = borrowedUntil;
        TrustedTime = trustedTime;
        Message = Guard.NotBlank(message, nameof(message));
        Load = load;
    }

    /// <summary>The conclusion.</summary>
    public ReceiptCheckStatus Status { get; }

    /// <summary>Whether the receipt may be honoured now: <see cref="Status"/> is <see cref="ReceiptCheckStatus.Valid"/>.</summary>
    public bool IsValid => Status == ReceiptCheckStatus.Valid;

    /// <summary>The local time of the check.</summary>
    public Instant CheckedAt { get; }

    /// <summary>When the borrow ends, read from the signed body; <see langword="null"/> when the signature did not verify (or there was no receipt).</summary>
    public Instant? BorrowedUntil { get; }

    /// <summary>The id of the license the borrow belongs to, read from the signed body; <see langword="null"/> when the signature did not verify (or the body lacks it).</summary>
    public long? LicenseId { get; init; }

    /// <summary>The server's id of the device that holds the seat, read from the signed body; <see langword="null"/> when the signature did not verify (or the body lacks it).</summary>
    public long? DeviceId { get; init; }

    /// <summary>
    /// The id of the LicenseSpring company the license belongs to, read from the signed body's <c>company.id</c>;
    /// <see langword="null"/> when the signature did not verify (or the body lacks it).
    /// </summary>
    public long? CompanyId { get; init; }

    /// <summary>The trusted-time mark after the check (the latest time shown to have passed), <see langword="null"/> when there is none.</summary>
    public Instant? TrustedTime { get; }

    /// <summary>What to tell a person, in plain words.</summary>
    public string Message { get; }

    /// <summary>What the store found, for a check of a stored receipt; <see langword="null"/> otherwise.</summary>
    public ReceiptLoadResult? Load { get; }

    /// <summary>This result, with what the store found.</summary>
    internal ReceiptCheck WithLoad(ReceiptLoadResult load)
        => new(Status, CheckedAt, BorrowedUntil, TrustedTime, Message, load) { LicenseId = LicenseId, DeviceId = DeviceId, CompanyId = CompanyId };

    /// <inheritdoc />
    public override string ToString() => $"{Status}: {Message}";
}
