using System;

namespace LicenseClient;

/// <summary>The text given to <see cref="BorrowReceipt.Parse"/> is not a receipt this version can read.</summary>
public sealed class BorrowReceiptFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">Why the text is not a receipt: <see cref="ReceiptLoadStatus.Corrupt"/>, <see cref="ReceiptLoadStatus.NewerVersion"/> or <see cref="ReceiptLoadStatus.Invalid"/>.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The parser's error, when there was one.</param>
    public BorrowReceiptFormatException(ReceiptLoadStatus status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>Why the text is not a receipt.</summary>
    public ReceiptLoadStatus Status { get; }
}
