namespace LicenseClient.Serialization;

/// <summary>
/// The credential fields of a request body. A <see cref="LicenseCredential"/> fills in its own;
/// the others stay <see langword="null"/> and are left out of the JSON.
/// </summary>
internal abstract class CredentialFields
{
    public string? LicenseKey { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? IdToken { get; set; }

    public string? Code { get; set; }

    public string? CustomerAccountCode { get; set; }

    public string? RedirectUri { get; set; }
}
