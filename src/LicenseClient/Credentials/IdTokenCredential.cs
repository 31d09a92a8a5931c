using LicenseClient.Internal;
using LicenseClient.Serialization;

namespace LicenseClient;

/// <summary>
/// A license reached through a customer account's identity provider (single sign-on):
/// <c>id_token</c> and <c>customer_account_code</c> on the wire.
/// </summary>
/// <param name="IdToken">The identity provider's token; never shown by <see cref="ToString"/>.</param>
/// <param name="CustomerAccountCode">The customer account's code.</param>
/// <exception cref="System.ArgumentException">A value is null, empty or white space.</exception>
public sealed record IdTokenCredential(string IdToken, string CustomerAccountCode) : LicenseCredential
{
    private readonly string _idToken = Guard.NotBlank(IdToken, nameof(IdToken));
    private readonly string _customerAccountCode = Guard.NotBlank(CustomerAccountCode, nameof(CustomerAccountCode));

    /// <summary>The identity provider's token.</summary>
    public string IdToken
    {
        get => _idToken;
        init => _idToken = Guard.NotBlank(value, nameof(IdToken));
    }

    /// <summary>The customer account's code.</summary>
    public string CustomerAccountCode
    {
        get => _customerAccountCode;
        init => _customerAccountCode = Guard.NotBlank(value, nameof(CustomerAccountCode));
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns><c>IdTokenCredential { IdToken = [redacted], CustomerAccountCode = … }</c>.</returns>
    public override string ToString()
        => $"{nameof(IdTokenCredential)} {{ {nameof(IdToken)} = {Redacted}, {nameof(CustomerAccountCode)} = {_customerAccountCode} }}";

    internal override bool Supports(CredentialUse use) => use == CredentialUse.Borrow;

    internal override void WriteTo(CredentialFields fields, CredentialUse use)
    {
        fields.IdToken = _idToken;
        fields.CustomerAccountCode = _customerAccountCode;
    }
}
