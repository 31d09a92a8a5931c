using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// A user-based license, identified by its license user (<c>username</c> and <c>password</c> on the wire).
/// A release sends the username only.
/// </summary>
/// <param name="Username">The license user's name (usually an e-mail address).</param>
/// <param name="Password">The license user's password; never shown by <see cref="ToString"/>.</param>
/// <exception cref="System.ArgumentException">A value is null, empty or white space.</exception>
public sealed record UserCredential(string Username, string Password) : LicenseCredential
{
    private readonly string _username = Guard.NotBlank(Username, nameof(Username));
    private readonly string _password = Guard.NotBlank(Password, nameof(Password));

    /// <summary>The license user's name.</summary>
    public string Username
    {
        get => _username;
        init => _username = Guard.NotBlank(value, nameof(Username));
    }

    /// <summary>The license user's password.</summary>
    public string Password
    {
        get => _password;
        init => _password = Guard.NotBlank(value, nameof(Password));
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns><c>UserCredential { Username = …, Password = [redacted] }</c>.</returns>
    public override string ToString()
        => $"{nameof(UserCredential)} {{ {nameof(Username)} = {_username}, {nameof(Password)} = {Redacted} }}";

    internal override bool Supports(CredentialUse use) => true;

    internal override void WriteTo(CredentialFields fields, CredentialUse use)
    {
        fields.Username = _username;
        fields.Password = use == CredentialUse.Borrow ? _password : null;
    }
}
