using System;
using System.Security.Cryptography;
using System.Text;

namespace LicenseClient.Samples.Hosting;

/// <summary>What seat to hold: the <c>Borrow</c> section of appsettings.json.</summary>
internal sealed class SeatSettings
{
    public string Product { get; set; } = "";

    public string LicenseKey { get; set; } = "";

    /// <summary>The device's hardware id; empty for an id derived from this machine's name.</summary>
    public string HardwareId { get; set; } = "";

    /// <summary>Where receipts and pending releases are kept; empty for this application's folder under local application data.</summary>
    public string ReceiptFolder { get; set; } = "";

    /// <summary>
    /// Your LicenseSpring company's id: offline, a receipt of another company's license is refused. Set it in a real
    /// app (the License API signs every company's answers with the same key); empty accepts any company's receipt.
    /// </summary>
    public long? CompanyId { get; set; }

    /// <summary>The seat this section describes.</summary>
    public SeatRequest ToRequest()
        => new(Product, HardwareId.Length > 0 ? HardwareId : MachineHardwareId(), LicenseCredential.FromLicenseKey(LicenseKey));

    private static string MachineHardwareId()
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..32];
}
