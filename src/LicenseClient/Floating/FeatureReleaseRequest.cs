using System;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>
/// What to release: the seat of the floating feature <paramref name="Feature"/> of <paramref name="Product"/> that
/// the device <paramref name="HardwareId"/> holds, on the license <paramref name="Credential"/> names.
/// </summary>
/// <param name="Product">The product code.</param>
/// <param name="Feature">The feature's code.</param>
/// <param name="HardwareId">The hardware id the feature was borrowed for.</param>
/// <param name="Credential">
/// The license's key (<see cref="LicenseCredential.FromLicenseKey"/>) or its user
/// (<see cref="LicenseCredential.FromUsername"/>, or a <see cref="UserCredential"/>, whose password is not sent).
/// </param>
/// <exception cref="ArgumentNullException">A value is null.</exception>
/// <exception cref="ArgumentException">
/// <paramref name="Product"/>, <paramref name="Feature"/> or <paramref name="HardwareId"/> is empty or white space, or
/// <paramref name="Credential"/> is an <see cref="IdTokenCredential"/> or an <see cref="AuthorizationCodeCredential"/>.
/// </exception>
public sealed record FeatureReleaseRequest(string Product, string Feature, string HardwareId, LicenseCredential Credential)
    : FloatingRequest(Product, HardwareId, Credential, Serialization.CredentialUse.Release)
{
    private readonly string _feature = Guard.NotBlank(Feature, nameof(Feature));

    /// <summary>The feature's code.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string Feature
    {
        get => _feature;
        init => _feature = Guard.NotBlank(value, nameof(Feature));
    }
}
