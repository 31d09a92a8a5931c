using NodaTime;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>Well-formed borrow requests, one per credential kind.</summary>
public static class Requests
{
    public static BorrowRequest WithLicenseKey(string licenseKey = "AAAA-BBBB-CCCC-DDDD")
        => new("product-x", "hw-1234", LicenseCredential.FromLicenseKey(licenseKey))
        {
            BorrowedUntil = Instant.FromUtc(2030, 1, 2, 3, 4, 5),
        };
}
