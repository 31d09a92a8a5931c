using System;
using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// A license reached through an authorization code from a customer account's identity provider:
/// <c>code</c>, <c>customer_account_code</c> and, when set, <c>redirect_uri</c> on the wire.
/// </summary>
/// <param name="Code">The authorization code; never shown by <see cref="ToString"/>.</param>
/// <param name="CustomerAccountCode">The customer account's code.</param>
/// <param name="RedirectUri">The absolute redirect URI the code was issued for, or <see langword="null"/>.</param>
/// <exception cref="ArgumentException">
/// <paramref name="Code"/> or <paramref name="CustomerAccountCode"/> is null, empty or white space,
/// or <paramref name="RedirectUri"/> is not absolute.
/// </exception>
public sealed record AuthorizationCodeCredential(string Code, string CustomerAccountCode, Uri? RedirectUri) : LicenseCredential
{
    private readonly string _code = Guard.NotBlank(Code, nameof(Code));
    private readonly string _customerAccountCode = Guard.NotBlank(CustomerAccountCode, nameof(CustomerAccountCode));
    private readonly Uri? _redirectUri = CheckRedirectUri(RedirectUri, nameof(RedirectUri));

    /// <summary>The authorization code.</summary>
    public string Code
    {
        get => _code;
        init => _code = Guard.NotBlank(value, nameof(Code));
    }

    /// <summary>The customer account's code.</summary>
    public string CustomerAccountCode
    {
        get => _customerAccountCode;
        init => _customerAccountCode = Guard.NotBlank(value, nameof(CustomerAccountCode));
    }

    /// <summary>The redirect URI the code was issued for, or <see langword="null"/>.</summary>
    public Uri? RedirectUri
    {
        get => _redirectUri;
        init => _redirectUri = CheckRedirectUri(value, nameof(RedirectUri));
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns><c>AuthorizationCodeCredential { Code = [redacted], CustomerAccountCode = …, RedirectUri = … }</c>.</returns>
    public override string ToString()
        => $"{nameof(AuthorizationCodeCredential)} {{ {nameof(Code)} = {Redacted}, {nameof(CustomerAccountCode)} = {_customerAccountCode}, {nameof(RedirectUri)} = {_redirectUri} }}";

    internal override bool Supports(CredentialUse use) => use == CredentialUse.Borrow;

    internal override void WriteTo(CredentialFields fields, CredentialUse use)
    {
        fields.Code = _code;
        fields.CustomerAccountCode = _customerAccountCode;
        fields.RedirectUri = _redirectUri?.OriginalString;
    }
}
