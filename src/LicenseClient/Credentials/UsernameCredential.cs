using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// A user-based license's user, named without a password: <c>username</c> on the wire. For releases only
/// (<see cref="ReleaseRequest"/>, <see cref="FeatureReleaseRequest"/>); a borrow needs a <see cref="UserCredential"/>.
/// Release a license reached through an id token or an authorization code with the user it signed in.
/// </summary>
/// <param name="Username">The license user's name (usually an e-mail address).</param>
/// <exception cref="System.ArgumentException"><paramref name="Username"/> is null, empty or white space.</exception>
public sealed record UsernameCredential(string Username) : LicenseCredential
{
    private readonly string _username = Guard.NotBlank(Username, nameof(Username));

    /// <summary>The license user's name.</summary>
    public string Username
    {
        get => _username;
        init => _username = Guard.NotBlank(value, nameof(Username));
    }

    internal override bool Supports(CredentialUse use) => use == CredentialUse.Release;

    internal override void WriteTo(CredentialFields fields, CredentialUse use) => fields.Username = _username;
}
