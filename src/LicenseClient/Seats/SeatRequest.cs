using System;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>What seat a <see cref="FloatingSeat"/> holds: a license seat, or a feature seat when <see cref="Feature"/> is set.</summary>
/// <param name="Product">The product code.</param>
/// <param name="HardwareId">The hardware id of this device.</param>
/// <param name="Credential">
/// The credential that borrows: <see cref="LicenseCredential.FromLicenseKey"/>, <see cref="LicenseCredential.FromUser"/>,
/// <see cref="LicenseCredential.FromIdToken"/> or <see cref="LicenseCredential.FromAuthorizationCode"/>.
/// </param>
public sealed record SeatRequest(string Product, string HardwareId, LicenseCredential Credential)
{
    private readonly string _product = Guard.NotBlank(Product, nameof(Product));
    private readonly string _hardwareId = Guard.NotBlank(HardwareId, nameof(HardwareId));
    private readonly LicenseCredential _credential = Guard.NotNull(Credential, nameof(Credential));
    private readonly string? _feature;
    private readonly long? _licenseId;
    private readonly string? _bundleCode;

    /// <summary>The product code.</summary>
    public string Product
    {
        get => _product;
        init => _product = Guard.NotBlank(value, nameof(Product));
    }

    /// <summary>The hardware id of this device.</summary>
    public string HardwareId
    {
        get => _hardwareId;
        init => _hardwareId = Guard.NotBlank(value, nameof(HardwareId));
    }

    /// <summary>The credential that borrows the seat.</summary>
    public LicenseCredential Credential
    {
        get => _credential;
        init => _credential = Guard.NotNull(value, nameof(Credential));
    }

    /// <summary>
    /// The credential that releases the seat. <see langword="null"/> (the default): the license key of
    /// <see cref="Credential"/>, or the username of its license user. An id token or an authorization code cannot
    /// release, so with those set this to <see cref="LicenseCredential.FromUsername"/> with the user they sign in.
    /// </summary>
    public LicenseCredential? ReleaseCredential { get; init; }

    /// <summary>The feature code, for a seat of a floating feature; <see langword="null"/> for a license seat.</summary>
    public string? Feature
    {
        get => _feature;
        init => _feature = Guard.NullOrNotBlank(value, nameof(Feature));
    }

    /// <summary>The license to borrow from, when the credential reaches more than one.</summary>
    public long? LicenseId
    {
        get => _licenseId;
        init => _licenseId = Guard.LicenseId(value, nameof(LicenseId));
    }

    /// <summary>The bundle the product is borrowed through, if any.</summary>
    public string? BundleCode
    {
        get => _bundleCode;
        init => _bundleCode = Guard.NullOrNotBlank(value, nameof(BundleCode));
    }

    internal LicenseCredential EffectiveReleaseCredential
        => ReleaseCredential ?? _credential switch
        {
            LicenseKeyCredential => _credential,
            UserCredential user => LicenseCredential.FromUsername(user.Username),
            _ => throw new ArgumentException(
                "An id token or an authorization code cannot release a seat: set SeatRequest.ReleaseCredential to LicenseCredential.FromUsername(username) with the user it signs in.",
                nameof(ReleaseCredential)),
        };
}
