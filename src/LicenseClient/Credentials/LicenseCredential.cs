using System;
using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// How a request identifies the license: exactly one of a license key, a license user, an
/// identity-provider token, or an authorization code. The kinds are the sealed records
/// <see cref="LicenseKeyCredential"/>, <see cref="UserCredential"/>, <see cref="IdTokenCredential"/>,
/// <see cref="AuthorizationCodeCredential"/> and, for releases only, <see cref="UsernameCredential"/>;
/// the set is closed.
/// </summary>
/// <remarks>
/// <para>
/// Every credential writes its own fields into the request body (there is no type discriminator on
/// the wire). <see cref="object.ToString"/> never shows a password, license key, id token or code.
/// </para>
/// <para>
/// Borrows take every kind but <see cref="UsernameCredential"/>. Releases name the license by its key or
/// its user alone (<c>license_key</c> or <c>username</c>, never a password): a <see cref="UserCredential"/>
/// sends its username only, and a license reached through an id token or an authorization code is released
/// with <see cref="FromUsername"/> and the user it signed in.
/// </para>
/// </remarks>
public abstract record LicenseCredential
{
    /// <summary>The value <c>ToString()</c> shows in place of a secret.</summary>
    internal const string Redacted = "[redacted]";

    private protected LicenseCredential()
    {
    }

    /// <summary>Identifies a key-based license by its license key.</summary>
    /// <param name="licenseKey">The license key.</param>
    /// <returns>A <see cref="LicenseKeyCredential"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="licenseKey"/> is null, empty or white space.</exception>
    public static LicenseCredential FromLicenseKey(string licenseKey)
        => new LicenseKeyCredential(Guard.NotBlank(licenseKey, nameof(licenseKey)));

    /// <summary>Identifies a user-based license by its license user.</summary>
    /// <param name="username">The license user's name (usually an e-mail address).</param>
    /// <param name="password">The license user's password.</param>
    /// <returns>A <see cref="UserCredential"/>.</returns>
    /// <exception cref="ArgumentException">A value is null, empty or white space.</exception>
    public static LicenseCredential FromUser(string username, string password)
        => new UserCredential(Guard.NotBlank(username, nameof(username)), Guard.NotBlank(password, nameof(password)));

    /// <summary>
    /// Names a user-based license's user without a password, for a release (<c>username</c> on the wire).
    /// Borrows need the password: use <see cref="FromUser"/> for them.
    /// </summary>
    /// <param name="username">The license user's name (usually an e-mail address).</param>
    /// <returns>A <see cref="UsernameCredential"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="username"/> is null, empty or white space.</exception>
    public static LicenseCredential FromUsername(string username)
        => new UsernameCredential(Guard.NotBlank(username, nameof(username)));

    /// <summary>Identifies the license through a customer account's identity provider (single sign-on).</summary>
    /// <param name="idToken">The identity provider's token (its <c>access_token</c> value).</param>
    /// <param name="customerAccountCode">The customer account's code.</param>
    /// <returns>An <see cref="IdTokenCredential"/>.</returns>
    /// <exception cref="ArgumentException">A value is null, empty or white space.</exception>
    public static LicenseCredential FromIdToken(string idToken, string customerAccountCode)
        => new IdTokenCredential(Guard.NotBlank(idToken, nameof(idToken)), Guard.NotBlank(customerAccountCode, nameof(customerAccountCode)));

    /// <summary>Identifies the license through an authorization code from a customer account's identity provider.</summary>
    /// <param name="code">The authorization code.</param>
    /// <param name="customerAccountCode">The customer account's code.</param>
    /// <param name="redirectUri">The redirect URI the code was issued for, when the identity provider requires it.</param>
    /// <returns>An <see cref="AuthorizationCodeCredential"/>.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="code"/> or <paramref name="customerAccountCode"/> is null, empty or white space,
    /// or <paramref name="redirectUri"/> is not absolute.
    /// </exception>
    public static LicenseCredential FromAuthorizationCode(string code, string customerAccountCode, Uri? redirectUri = null)
        => new AuthorizationCodeCredential(
            Guard.NotBlank(code, nameof(code)),
            Guard.NotBlank(customerAccountCode, nameof(customerAccountCode)),
            CheckRedirectUri(redirectUri, nameof(redirectUri)));

    /// <summary>Whether this credential can identify the license for <paramref name="use"/>.</summary>
    internal abstract bool Supports(CredentialUse use);

    /// <summary>Writes this credential's fields for <paramref name="use"/> into a request body; only called when it <see cref="Supports"/> the use.</summary>
    internal abstract void WriteTo(CredentialFields fields, CredentialUse use);

    /// <summary>Checks that an optional redirect URI is absolute.</summary>
    internal static Uri? CheckRedirectUri(Uri? redirectUri, string paramName)
        => redirectUri is null || redirectUri.IsAbsoluteUri
            ? redirectUri
            : throw new ArgumentException($"{paramName} must be an absolute URI.", paramName);
}
