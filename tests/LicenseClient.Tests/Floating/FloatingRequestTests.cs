using System;
using LicenseClient.Tests.Infrastructure;
using static LicenseClient.Tests.Infrastructure.FloatingCalls;

namespace LicenseClient.Tests.Floating;

/// <summary>The new requests refuse bad input when they are built, before any I/O.</summary>
public sealed class FloatingRequestTests
{
    public static TheoryData<LicenseCredential> SingleSignOnCredentials => new()
    {
        LicenseCredential.FromIdToken("eyJ.token", "ACME"),
        LicenseCredential.FromAuthorizationCode("code-1", "ACME"),
    };

    [Theory]
    [MemberData(nameof(SingleSignOnCredentials))]
    public void A_release_by_id_token_or_code_says_to_name_the_user_instead(LicenseCredential credential)
    {
        ArgumentException release = Assert.Throws<ArgumentException>(() => new ReleaseRequest(Product, HardwareId, credential));
        ArgumentException featureRelease = Assert.Throws<ArgumentException>(() => new FeatureReleaseRequest(Product, Feature, HardwareId, credential));
        ArgumentException changed = Assert.Throws<ArgumentException>(
            () => new ReleaseRequest(Product, HardwareId, LicenseCredential.FromLicenseKey("K")) with { Credential = credential });

        Assert.All([release, featureRelease, changed], error =>
        {
            Assert.Equal("Credential", error.ParamName);
            Assert.Contains("LicenseCredential.FromUsername(username)", error.Message, StringComparison.Ordinal);
            Assert.Contains("LicenseCredential.FromLicenseKey(licenseKey)", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_borrow_by_username_alone_says_it_needs_the_password()
    {
        LicenseCredential username = LicenseCredential.FromUsername("ann@example.test");

        ArgumentException borrow = Assert.Throws<ArgumentException>(() => new BorrowRequest(Product, HardwareId, username));
        ArgumentException featureBorrow = Assert.Throws<ArgumentException>(() => new FeatureBorrowRequest(Product, Feature, HardwareId, username));

        Assert.All([borrow, featureBorrow], error =>
        {
            Assert.Equal("Credential", error.ParamName);
            Assert.Contains("LicenseCredential.FromUser(username, password)", error.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_feature_product_or_hardware_id_is_refused_by_name(string? value)
    {
        LicenseCredential key = LicenseCredential.FromLicenseKey("K");

        Assert.Equal("Feature", Assert.ThrowsAny<ArgumentException>(() => new FeatureBorrowRequest(Product, value!, HardwareId, key)).ParamName);
        Assert.Equal("Feature", Assert.ThrowsAny<ArgumentException>(() => new FeatureReleaseRequest(Product, value!, HardwareId, key)).ParamName);
        Assert.Equal("Product", Assert.ThrowsAny<ArgumentException>(() => new ReleaseRequest(value!, HardwareId, key)).ParamName);
        Assert.Equal("HardwareId", Assert.ThrowsAny<ArgumentException>(() => new FeatureReleaseRequest(Product, Feature, value!, key)).ParamName);
        Assert.Equal("LicenseId", Assert.Throws<ArgumentOutOfRangeException>(() => new ReleaseRequest(Product, HardwareId, key) { LicenseId = 0 }).ParamName);
    }

    [Fact]
    public void Username_credential_shows_the_user_and_no_secret()
    {
        var request = new ReleaseRequest(Product, HardwareId, LicenseCredential.FromUser("ann@example.test", "pw-secret"));

        Assert.Contains("ann@example.test", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", request.ToString(), StringComparison.Ordinal);
        Assert.Equal("ann@example.test", ((UsernameCredential)LicenseCredential.FromUsername("ann@example.test")).Username);
    }
}
