using System;

namespace LicenseClient;

/// <summary>What <see cref="IBorrowReceiptStore.LoadAsync"/> found: a receipt, none, or a stored one it could not read (which it leaves in place).</summary>
public sealed class ReceiptLoadResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="status">What was found.</param>
    /// <param name="receipt">The receipt; required when <paramref name="status"/> is <see cref="ReceiptLoadStatus.Found"/>, else <see langword="null"/>.</param>
    /// <param name="location">Where the receipt is (or would be) stored, such as a file path.</param>
    /// <param name="message">What went wrong, for a status other than <see cref="ReceiptLoadStatus.Found"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="receipt"/> does not go with <paramref name="status"/>.</exception>
    public ReceiptLoadResult(ReceiptLoadStatus status, BorrowReceipt? receipt, string? location, string? message = null)
    {
        if ((status == ReceiptLoadStatus.Found) != (receipt is not null))
        {
            throw new ArgumentException("A receipt is given exactly when the status is Found.", nameof(receipt));
        }

        Status = status;
        Receipt = receipt;
        Location = location;
        Message = message ?? (status == ReceiptLoadStatus.Found ? "The receipt was read." : status.ToString());
    }

    /// <summary>What was found.</summary>
    public ReceiptLoadStatus Status { get; }

    /// <summary>The receipt, when <see cref="Status"/> is <see cref="ReceiptLoadStatus.Found"/>.</summary>
    public BorrowReceipt? Receipt { get; }

    /// <summary>Where the receipt is (or would be) stored, such as a file path; <see langword="null"/> for a store without places.</summary>
    public string? Location { get; }

    /// <summary>What was found, or what is wrong with what was found.</summary>
    public string Message { get; }
}
