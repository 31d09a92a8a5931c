using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>A key-based license, identified by its license key (<c>license_key</c> on the wire).</summary>
/// <param name="LicenseKey">The license key; never shown by <see cref="ToString"/>.</param>
/// <exception cref="System.ArgumentException"><paramref name="LicenseKey"/> is null, empty or white space.</exception>
public sealed record LicenseKeyCredential(string LicenseKey) : LicenseCredential
{
    private readonly string _licenseKey = Guard.NotBlank(LicenseKey, nameof(LicenseKey));

    /// <summary>The license key.</summary>
    public string LicenseKey
    {
        get => _licenseKey;
        init => _licenseKey = Guard.NotBlank(value, nameof(LicenseKey));
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns><c>LicenseKeyCredential { LicenseKey = [redacted] }</c>.</returns>
    public override string ToString() => $"{nameof(LicenseKeyCredential)} {{ {nameof(LicenseKey)} = {Redacted} }}";

    internal override bool Supports(CredentialUse use) => true;

    internal override void WriteTo(CredentialFields fields, CredentialUse use) => fields.LicenseKey = _licenseKey;
}
