using NodaTime;

namespace LicenseClient;

/// <summary>A borrowed floating seat: the application may run offline until <paramref name="BorrowedUntil"/>.</summary>
/// <param name="BorrowedUntil">When the borrow ends (the server's answer, in UTC).</param>
/// <param name="MaxBorrowTime">The license's maximum borrow time.</param>
/// <param name="DeviceId">The server's id of the device that holds the seat.</param>
/// <param name="LicenseId">The server's id of the license the seat belongs to.</param>
public sealed record BorrowedLicense(Instant BorrowedUntil, Duration MaxBorrowTime, long DeviceId, long LicenseId);
