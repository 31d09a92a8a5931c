using System;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Floating;

public sealed class BorrowRequestTests
{
    private static readonly LicenseCredential Key = LicenseCredential.FromLicenseKey("k");

    public static TheoryData<Func<BorrowRequest>, string> BadRequests => new()
    {
        { () => new BorrowRequest(null!, "h", Key), "Product" },
        { () => new BorrowRequest(" ", "h", Key), "Product" },
        { () => new BorrowRequest("p", "", Key), "HardwareId" },
        { () => new BorrowRequest("p", "h", null!), "Credential" },
        { () => new BorrowRequest("p", "h", Key) with { Product = "" }, "Product" },
        { () => new BorrowRequest("p", "h", Key) with { HardwareId = "\t" }, "HardwareId" },
        { () => new BorrowRequest("p", "h", Key) with { Credential = null! }, "Credential" },
        { () => new BorrowRequest("p", "h", Key) { LicenseId = 0 }, "LicenseId" },
        { () => new BorrowRequest("p", "h", Key) { LicenseId = -5 }, "LicenseId" },
        { () => new BorrowRequest("p", "h", Key) { BundleCode = " " }, "BundleCode" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_values_are_rejected_naming_the_property(Func<BorrowRequest> create, string parameter)
        => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(create).ParamName);

    [Fact]
    public void Optional_values_default_to_null()
    {
        var request = new BorrowRequest("p", "h", Key);
        Assert.Null(request.BorrowedUntil);
        Assert.Null(request.LicenseId);
        Assert.Null(request.BundleCode);
    }

    [Fact]
    public void ToString_shows_the_request_but_not_the_credential_secret()
    {
        BorrowRequest request = Requests.WithLicenseKey("LICENSE-KEY-SECRET") with { BundleCode = "suite" };

        string text = request.ToString();

        Assert.DoesNotContain("LICENSE-KEY-SECRET", text, StringComparison.Ordinal);
        Assert.Contains("product-x", text, StringComparison.Ordinal);
        Assert.Contains("LicenseKeyCredential { LicenseKey = [redacted] }", text, StringComparison.Ordinal);
        Assert.Contains("suite", text, StringComparison.Ordinal);
    }
}
