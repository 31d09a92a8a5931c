using NodaTime;

namespace LicenseClient;

/// <summary>A borrowed seat of a floating feature: the feature may be used offline until <paramref name="BorrowedUntil"/>.</summary>
/// <param name="Feature">The feature's code, as requested.</param>
/// <param name="BorrowedUntil">When the borrow ends (the server's answer, in UTC).</param>
/// <param name="MaxBorrowTime">The feature's maximum borrow time.</param>
/// <param name="DeviceId">The server's id of the device that holds the seat.</param>
/// <param name="LicenseId">The server's id of the license the feature belongs to.</param>
public sealed record BorrowedFeature(string Feature, Instant BorrowedUntil, Duration MaxBorrowTime, long DeviceId, long LicenseId);
