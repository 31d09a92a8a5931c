using System;
using LicenseClient.Internal;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// What to borrow: a seat of the floating feature <paramref name="Feature"/> of <paramref name="Product"/> for
/// the device <paramref name="HardwareId"/>, on the license <paramref name="Credential"/> identifies.
/// </summary>
/// <param name="Product">The product code.</param>
/// <param name="Feature">The feature's code.</param>
/// <param name="HardwareId">The device's hardware id; borrowing the feature again with the same id extends that device's borrow.</param>
/// <param name="Credential">How the license is identified: a license key, a user with password, an id token or an authorization code.</param>
/// <exception cref="ArgumentNullException">A value is null.</exception>
/// <exception cref="ArgumentException">
/// <paramref name="Product"/>, <paramref name="Feature"/> or <paramref name="HardwareId"/> is empty or white space, or
/// <paramref name="Credential"/> is a <see cref="UsernameCredential"/> (a borrow needs the password).
/// </exception>
public sealed record FeatureBorrowRequest(string Product, string Feature, string HardwareId, LicenseCredential Credential)
    : FloatingRequest(Product, HardwareId, Credential, Serialization.CredentialUse.Borrow)
{
    private readonly string _feature = Guard.NotBlank(Feature, nameof(Feature));

    /// <summary>The feature's code.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string Feature
    {
        get => _feature;
        init => _feature = Guard.NotBlank(value, nameof(Feature));
    }

    /// <summary>
    /// Until when to borrow the feature; <see langword="null"/> (the default) borrows for the feature's maximum
    /// borrow time. The server refuses a time in the past or beyond that maximum
    /// (<see cref="BorrowUntilNotValidException"/>). Sent in UTC with millisecond precision.
    /// </summary>
    public Instant? BorrowedUntil { get; init; }
}
