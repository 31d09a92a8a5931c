using System;

namespace LicenseClient.Tests.Credentials;

public sealed class LicenseCredentialTests
{
    public static TheoryData<Func<LicenseCredential>, string> BlankFactoryArguments => new()
    {
        { () => LicenseCredential.FromLicenseKey(null!), "licenseKey" },
        { () => LicenseCredential.FromLicenseKey(""), "licenseKey" },
        { () => LicenseCredential.FromLicenseKey(" \t"), "licenseKey" },
        { () => LicenseCredential.FromUser("", "p"), "username" },
        { () => LicenseCredential.FromUser("u", " "), "password" },
        { () => LicenseCredential.FromUser("u", null!), "password" },
        { () => LicenseCredential.FromIdToken("", "acme"), "idToken" },
        { () => LicenseCredential.FromIdToken("t", ""), "customerAccountCode" },
        { () => LicenseCredential.FromAuthorizationCode(" ", "acme"), "code" },
        { () => LicenseCredential.FromAuthorizationCode("c", null!), "customerAccountCode" },
        { () => LicenseCredential.FromAuthorizationCode("c", "acme", new Uri("/relative", UriKind.Relative)), "redirectUri" },
    };

    public static TheoryData<Func<LicenseCredential>, string> BlankRecordArguments => new()
    {
        { () => new LicenseKeyCredential(""), "LicenseKey" },
        { () => new UserCredential("u", ""), "Password" },
        { () => new IdTokenCredential("t", " "), "CustomerAccountCode" },
        { () => new AuthorizationCodeCredential("", "acme", null), "Code" },
        { () => new LicenseKeyCredential("k") with { LicenseKey = " " }, "LicenseKey" },
        { () => new UserCredential("u", "p") with { Username = "" }, "Username" },
        { () => new IdTokenCredential("t", "a") with { IdToken = "" }, "IdToken" },
        { () => new AuthorizationCodeCredential("c", "a", null) with { RedirectUri = new Uri("x", UriKind.Relative) }, "RedirectUri" },
    };

    [Theory]
    [MemberData(nameof(BlankFactoryArguments))]
    public void Factories_reject_blank_values_naming_the_parameter(Func<LicenseCredential> create, string parameter)
        => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(create).ParamName);

    [Theory]
    [MemberData(nameof(BlankRecordArguments))]
    public void Records_reject_blank_values_also_through_with(Func<LicenseCredential> create, string parameter)
        => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(create).ParamName);

    [Fact]
    public void Factories_build_the_matching_record()
    {
        Assert.Equal(new LicenseKeyCredential("k"), LicenseCredential.FromLicenseKey("k"));
        Assert.Equal(new UserCredential("u", "p"), LicenseCredential.FromUser("u", "p"));
        Assert.Equal(new IdTokenCredential("t", "a"), LicenseCredential.FromIdToken("t", "a"));
        Assert.Equal(new AuthorizationCodeCredential("c", "a", null), LicenseCredential.FromAuthorizationCode("c", "a"));
        var redirect = new Uri("https://app.example.test/cb");
        Assert.Equal(new AuthorizationCodeCredential("c", "a", redirect), LicenseCredential.FromAuthorizationCode("c", "a", redirect));
    }

    [Fact]
    public void Records_can_be_deconstructed_and_compared()
    {
        var (username, password) = new UserCredential("ann", "secret");
        Assert.Equal(("ann", "secret"), (username, password));
        Assert.NotEqual(LicenseCredential.FromUser("ann", "a"), LicenseCredential.FromUser("ann", "b"));
    }

    [Fact]
    public void ToString_never_shows_a_secret()
    {
        const string secret = "S3CR3T-VALUE";
        LicenseCredential[] credentials =
        [
            LicenseCredential.FromLicenseKey(secret),
            LicenseCredential.FromUser("ann@example.test", secret),
            LicenseCredential.FromIdToken(secret, "ACME"),
            LicenseCredential.FromAuthorizationCode(secret, "ACME", new Uri("https://app.example.test/cb")),
        ];

        foreach (LicenseCredential credential in credentials)
        {
            string text = credential.ToString();
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.Contains("[redacted]", text, StringComparison.Ordinal);
            Assert.StartsWith(credential.GetType().Name + " {", text, StringComparison.Ordinal);
        }

        Assert.Contains("ann@example.test", credentials[1].ToString(), StringComparison.Ordinal);
        Assert.Contains("ACME", credentials[2].ToString(), StringComparison.Ordinal);
    }
}
