namespace LicenseClient.Serialization;

/// <summary>
/// The fields of a floating request's JSON body (every endpoint's), written by <see cref="FloatingJson"/>; a borrow
/// adds <c>borrowed_until</c>. <c>feature</c> is set only for the feature endpoints.
/// </summary>
internal class FloatingRequestBody : CredentialFields
{
    public string Product { get; set; } = "";

    public string HardwareId { get; set; } = "";

    public string? Feature { get; set; }

    public long? LicenseId { get; set; }

    public string? BundleCode { get; set; }

    public string? SdkVersion { get; set; }
}
