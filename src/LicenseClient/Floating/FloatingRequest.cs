using System;
using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// What every floating-license request names: the product, the device, and the credential that identifies
/// the license, with an optional license id and bundle code. The requests are <see cref="BorrowRequest"/>,
/// <see cref="ReleaseRequest"/>, <see cref="FeatureBorrowRequest"/> and <see cref="FeatureReleaseRequest"/>.
/// </summary>
/// <remarks>
/// Every value is checked when it is set, so a request that exists is well formed and is never refused by
/// the client after it has started sending. <see cref="object.ToString"/> shows the credential without its secrets.
/// </remarks>
public abstract record FloatingRequest
{
    private readonly CredentialUse _use;
    private readonly string _product;
    private readonly string _hardwareId;
    private readonly LicenseCredential _credential;
    private readonly long? _licenseId;
    private readonly string? _bundleCode;

    private protected FloatingRequest(string product, string hardwareId, LicenseCredential credential, CredentialUse use)
    {
        _use = use;
        _product = Guard.NotBlank(product, nameof(Product));
        _hardwareId = Guard.NotBlank(hardwareId, nameof(HardwareId));
        _credential = CheckCredential(credential, use);
    }

    /// <summary>The product code.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string Product
    {
        get => _product;
        init => _product = Guard.NotBlank(value, nameof(Product));
    }

    /// <summary>The device's hardware id; keep it stable across runs, as the seat belongs to it.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string HardwareId
    {
        get => _hardwareId;
        init => _hardwareId = Guard.NotBlank(value, nameof(HardwareId));
    }

    /// <summary>How the license is identified.</summary>
    /// <exception cref="ArgumentException">The value is null, or a kind this request cannot send (see <see cref="LicenseCredential"/>).</exception>
    public LicenseCredential Credential
    {
        get => _credential;
        init => _credential = CheckCredential(value, _use);
    }

    /// <summary>
    /// Restricts the request to the license with this id, when the credential could match several;
    /// <see langword="null"/> (the default) sends none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? LicenseId
    {
        get => _licenseId;
        init => _licenseId = Guard.LicenseId(value, nameof(LicenseId));
    }

    /// <summary>The bundle's code when the license belongs to a bundle; <see langword="null"/> (the default) sends none.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string? BundleCode
    {
        get => _bundleCode;
        init => _bundleCode = Guard.NullOrNotBlank(value, nameof(BundleCode));
    }

    /// <summary>Fills in the fields every floating request body has.</summary>
    internal void WriteTo(FloatingRequestBody body)
    {
        body.Product = _product;
        body.HardwareId = _hardwareId;
        body.LicenseId = _licenseId;
        body.BundleCode = _bundleCode;
        body.SdkVersion = SdkInfo.Product;
        _credential.WriteTo(body, _use);
    }

    private static LicenseCredential CheckCredential(LicenseCredential? credential, CredentialUse use)
    {
        Guard.NotNull(credential, nameof(Credential));
        if (credential.Supports(use))
        {
            return credential;
        }

        throw new ArgumentException(
            use == CredentialUse.Borrow
                ? "A borrow needs the license user's password: use LicenseCredential.FromUser(username, password). LicenseCredential.FromUsername is for releases."
                : "A release names the license by its key or its user, never by an id token or an authorization code: use LicenseCredential.FromLicenseKey(licenseKey), or LicenseCredential.FromUsername(username) with the user the id token or code signed in.",
            nameof(Credential));
    }
}
