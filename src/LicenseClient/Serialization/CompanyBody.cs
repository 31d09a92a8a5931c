namespace LicenseClient.Serialization;

/// <summary>The <c>company</c> object of a borrow answer: the LicenseSpring company the license belongs to.</summary>
internal sealed class CompanyBody
{
    public long? Id { get; set; }
}
