using System.Text.Json.Serialization;

namespace LicenseClient.Serialization;

/// <summary>
/// The credential fields of a request body. A <see cref="LicenseCredential"/> fills in its own;
/// the others stay <see langword="null"/> and are left out of the JSON.
/// </summary>
internal abstract class CredentialFields
{
    [JsonPropertyName("license_key")]
    [JsonPropertyOrder(10)]
    public string? LicenseKey { get; set; }

    [JsonPropertyName("username")]
    [JsonPropertyOrder(11)]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    [JsonPropertyOrder(12)]
    public string? Password { get; set; }

    [JsonPropertyName("id_token")]
    [JsonPropertyOrder(13)]
    public string? IdToken { get; set; }

    [JsonPropertyName("code")]
    [JsonPropertyOrder(14)]
    public string? Code { get; set; }

    [JsonPropertyName("customer_account_code")]
    [JsonPropertyOrder(15)]
    public string? CustomerAccountCode { get; set; }

    [JsonPropertyName("redirect_uri")]
    [JsonPropertyOrder(16)]
    public string? RedirectUri { get; set; }
}
