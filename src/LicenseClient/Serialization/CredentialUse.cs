namespace LicenseClient.Serialization;

/// <summary>What a credential is written for: a borrow sends the whole credential, a release only names the license.</summary>
internal enum CredentialUse
{
    /// <summary>A borrow or feature borrow: every field, the password included.</summary>
    Borrow,

    /// <summary>A release or feature release: <c>license_key</c> or <c>username</c>, never a secret beyond the key.</summary>
    Release,
}
