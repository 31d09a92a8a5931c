using System;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// What to borrow: a floating seat of <paramref name="Product"/> for the device
/// <paramref name="HardwareId"/>, identified by <paramref name="Credential"/>.
/// </summary>
/// <param name="Product">The product code.</param>
/// <param name="HardwareId">The device's hardware id; borrowing again with the same id extends that device's borrow.</param>
/// <param name="Credential">How the license is identified: a license key, a user with password, an id token or an authorization code.</param>
/// <remarks>
/// Every value is checked when it is set, so a request that exists is well formed.
/// <see cref="object.ToString"/> shows the credential without its secrets.
/// </remarks>
/// <exception cref="ArgumentNullException">A value is null.</exception>
/// <exception cref="ArgumentException">
/// <paramref name="Product"/> or <paramref name="HardwareId"/> is empty or white space, or
/// <paramref name="Credential"/> is a <see cref="UsernameCredential"/> (a borrow needs the password).
/// </exception>
public sealed record BorrowRequest(string Product, string HardwareId, LicenseCredential Credential)
    : FloatingRequest(Product, HardwareId, Credential, Serialization.CredentialUse.Borrow)
{
    /// <summary>
    /// Until when to borrow; <see langword="null"/> (the default) borrows for the license's maximum
    /// borrow time. The server refuses a time in the past or beyond that maximum
    /// (<see cref="BorrowUntilNotValidException"/>). Sent in UTC with millisecond precision.
    /// </summary>
    public Instant? BorrowedUntil { get; init; }
}
