using System;

namespace LicenseClient;

/// <summary>
/// What to release: the floating seat of <paramref name="Product"/> that the device <paramref name="HardwareId"/>
/// holds, on the license <paramref name="Credential"/> names.
/// </summary>
/// <param name="Product">The product code.</param>
/// <param name="HardwareId">The hardware id the seat was borrowed for.</param>
/// <param name="Credential">
/// The license's key (<see cref="LicenseCredential.FromLicenseKey"/>) or its user
/// (<see cref="LicenseCredential.FromUsername"/>, or a <see cref="UserCredential"/>, whose password is not sent).
/// </param>
/// <remarks>
/// The release endpoint takes no password, id token or authorization code: release a seat borrowed through
/// single sign-on with <see cref="LicenseCredential.FromUsername"/> and the user it signed in.
/// </remarks>
/// <exception cref="ArgumentNullException">A value is null.</exception>
/// <exception cref="ArgumentException">
/// <paramref name="Product"/> or <paramref name="HardwareId"/> is empty or white space, or
/// <paramref name="Credential"/> is an <see cref="IdTokenCredential"/> or an <see cref="AuthorizationCodeCredential"/>.
/// </exception>
public sealed record ReleaseRequest(string Product, string HardwareId, LicenseCredential Credential)
    : FloatingRequest(Product, HardwareId, Credential, Serialization.CredentialUse.Release);
