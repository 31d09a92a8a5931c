using NodaTime;

namespace LicenseClient;

/// <summary>A borrowed floating seat: the application may run offline until <paramref name="BorrowedUntil"/>.</summary>
/// <param name="BorrowedUntil">When the borrow ends (the server's answer, in UTC).</param>
/// <param name="MaxBorrowTime">The license's maximum borrow time.</param>
/// <param name="DeviceId">The server's id of the device that holds the seat.</param>
/// <param name="LicenseId">The server's id of the license the seat belongs to.</param>
/// <remarks>
/// Two results are equal when they grant the same; <see cref="Receipt"/> (how it was proved) and <see cref="CompanyId"/>
/// (which follows from the license) are not compared.
/// </remarks>
public sealed record BorrowedLicense(Instant BorrowedUntil, Duration MaxBorrowTime, long DeviceId, long LicenseId)
{
    /// <summary>
    /// The signed answer and what the request named, to check again later with no network (see
    /// <see cref="BorrowReceiptChecker"/>); <see langword="null"/> for a result not made by the client.
    /// </summary>
    public BorrowReceipt? Receipt { get; init; }

    /// <summary>
    /// The id of the LicenseSpring company the license belongs to, from the signed answer's <c>company.id</c>;
    /// <see langword="null"/> when the answer had none. Pass it to <see cref="BorrowReceiptChecker"/> to pin receipts to your company.
    /// </summary>
    public long? CompanyId { get; init; }

    /// <summary>Whether <paramref name="other"/> grants the same seat until the same time; the receipt is not compared.</summary>
    /// <param name="other">The other result.</param>
    public bool Equals(BorrowedLicense? other)
        => other is not null
            && BorrowedUntil == other.BorrowedUntil
            && MaxBorrowTime == other.MaxBorrowTime
            && DeviceId == other.DeviceId
            && LicenseId == other.LicenseId;

    /// <inheritdoc />
    public override int GetHashCode() => (BorrowedUntil, MaxBorrowTime, DeviceId, LicenseId).GetHashCode();
}
