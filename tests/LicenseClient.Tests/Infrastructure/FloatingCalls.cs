using System;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>One well-formed call of each floating operation, so a test can run the same check on all four.</summary>
public static class FloatingCalls
{
    public const string Product = "product-x";
    public const string HardwareId = "hw-1234";
    public const string Feature = "export";

    public static readonly Instant Until = Instant.FromUtc(2030, 1, 2, 3, 4, 5);

    public static TheoryData<LicenseApiOperation> All => new()
    {
        LicenseApiOperation.Borrow,
        LicenseApiOperation.Release,
        LicenseApiOperation.BorrowFeature,
        LicenseApiOperation.ReleaseFeature,
    };

    /// <summary>The endpoint path of <paramref name="operation"/>.</summary>
    public static string PathOf(LicenseApiOperation operation) => operation switch
    {
        LicenseApiOperation.Borrow => LicenseApiStub.BorrowPath,
        LicenseApiOperation.Release => LicenseApiStub.ReleasePath,
        LicenseApiOperation.BorrowFeature => LicenseApiStub.FeatureBorrowPath,
        LicenseApiOperation.ReleaseFeature => LicenseApiStub.FeatureReleasePath,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Calls <paramref name="operation"/> with a license key credential.</summary>
    public static Task Invoke(ILicenseApiClient client, LicenseApiOperation operation, string licenseKey = "AAAA-BBBB")
    {
        LicenseCredential key = LicenseCredential.FromLicenseKey(licenseKey);
        return operation switch
        {
            LicenseApiOperation.Borrow => client.BorrowAsync(new BorrowRequest(Product, HardwareId, key) { BorrowedUntil = Until }),
            LicenseApiOperation.Release => client.ReleaseAsync(new ReleaseRequest(Product, HardwareId, key)),
            LicenseApiOperation.BorrowFeature => client.BorrowFeatureAsync(new FeatureBorrowRequest(Product, Feature, HardwareId, key) { BorrowedUntil = Until }),
            LicenseApiOperation.ReleaseFeature => client.ReleaseFeatureAsync(new FeatureReleaseRequest(Product, Feature, HardwareId, key)),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }
}
