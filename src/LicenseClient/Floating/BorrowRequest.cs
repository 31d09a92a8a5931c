using System;
using LicenseClient.Internal;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// What to borrow: a floating seat of <paramref name="Product"/> for the device
/// <paramref name="HardwareId"/>, identified by <paramref name="Credential"/>.
/// </summary>
/// <param name="Product">The product code.</param>
/// <param name="HardwareId">The device's hardware id; borrowing again with the same id extends that device's borrow.</param>
/// <param name="Credential">How the license is identified; see <see cref="LicenseCredential"/>.</param>
/// <remarks>
/// Every value is checked when it is set, so a request that exists is well formed.
/// <see cref="ToString"/> shows the credential without its secrets.
/// </remarks>
/// <exception cref="ArgumentNullException">A value is null.</exception>
/// <exception cref="ArgumentException"><paramref name="Product"/> or <paramref name="HardwareId"/> is empty or white space.</exception>
public sealed record BorrowRequest(string Product, string HardwareId, LicenseCredential Credential)
{
    private readonly string _product = Guard.NotBlank(Product, nameof(Product));
    private readonly string _hardwareId = Guard.NotBlank(HardwareId, nameof(HardwareId));
    private readonly LicenseCredential _credential = Guard.NotNull(Credential, nameof(Credential));
    private readonly long? _licenseId;
    private readonly string? _bundleCode;

    /// <summary>The product code.</summary>
    public string Product
    {
        get => _product;
        init => _product = Guard.NotBlank(value, nameof(Product));
    }

    /// <summary>The device's hardware id.</summary>
    public string HardwareId
    {
        get => _hardwareId;
        init => _hardwareId = Guard.NotBlank(value, nameof(HardwareId));
    }

    /// <summary>How the license is identified.</summary>
    public LicenseCredential Credential
    {
        get => _credential;
        init => _credential = Guard.NotNull(value, nameof(Credential));
    }

    /// <summary>
    /// Until when to borrow; <see langword="null"/> (the default) borrows for the license's maximum
    /// borrow time. The server refuses a time in the past or beyond that maximum
    /// (<see cref="BorrowUntilNotValidException"/>). Sent in UTC with millisecond precision.
    /// </summary>
    public Instant? BorrowedUntil { get; init; }

    /// <summary>
    /// Restricts the borrow to the license with this id, when the credential could match several;
    /// <see langword="null"/> (the default) sends none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? LicenseId
    {
        get => _licenseId;
        init => _licenseId = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LicenseId), value, "LicenseId must be a positive license id.");
    }

    /// <summary>The bundle's code when the license belongs to a bundle; <see langword="null"/> (the default) sends none.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string? BundleCode
    {
        get => _bundleCode;
        init => _bundleCode = Guard.NullOrNotBlank(value, nameof(BundleCode));
    }
}
