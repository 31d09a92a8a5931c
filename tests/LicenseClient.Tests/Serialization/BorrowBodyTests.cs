using System;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseClient.Floating;
using NodaTime;

namespace LicenseClient.Tests.Serialization;

/// <summary>The exact JSON body of a borrow, field by field and in order, for each credential kind.</summary>
public sealed class BorrowBodyTests
{
    private const string Head = "{\"product\":\"product-x\",\"hardware_id\":\"hw-1234\",\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",";

    private static readonly Instant Until = Instant.FromUtc(2030, 1, 2, 3, 4, 5);

    public static TheoryData<LicenseCredential, string> Credentials => new()
    {
        { LicenseCredential.FromLicenseKey("AAAA-BBBB"), "\"license_key\":\"AAAA-BBBB\"" },
        { LicenseCredential.FromUser("ann@example.test", "p\u00e4ss\"word"), "\"username\":\"ann@example.test\",\"password\":\"p\\u00E4ss\\u0022word\"" },
        { LicenseCredential.FromIdToken("eyJ.token", "ACME"), "\"id_token\":\"eyJ.token\",\"customer_account_code\":\"ACME\"" },
        { LicenseCredential.FromAuthorizationCode("code-1", "ACME"), "\"code\":\"code-1\",\"customer_account_code\":\"ACME\"" },
        {
            LicenseCredential.FromAuthorizationCode("code-1", "ACME", new Uri("https://app.example.test/callback")),
            "\"code\":\"code-1\",\"customer_account_code\":\"ACME\",\"redirect_uri\":\"https://app.example.test/callback\""
        },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public void Each_credential_writes_only_its_own_fields(LicenseCredential credential, string fields)
    {
        string body = Body(new BorrowRequest("product-x", "hw-1234", credential) { BorrowedUntil = Until });

        Assert.Equal(Head + fields + ",\"sdk_ver\":\"" + SdkVersion(body) + "\"}", body);
    }

    [Fact]
    public void Null_borrowed_until_is_sent_as_json_null()
    {
        string body = Body(new BorrowRequest("p", "h", LicenseCredential.FromLicenseKey("k")));

        Assert.StartsWith("{\"product\":\"p\",\"hardware_id\":\"h\",\"borrowed_until\":null,\"license_key\":\"k\",", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_fields_come_after_the_credential_only_when_set()
    {
        string body = Body(new BorrowRequest("product-x", "hw-1234", LicenseCredential.FromLicenseKey("k"))
        {
            BorrowedUntil = Until,
            LicenseId = 1673449189923780,
            BundleCode = "suite",
        });

        Assert.Equal(Head + "\"license_key\":\"k\",\"license_id\":1673449189923780,\"bundle_code\":\"suite\",\"sdk_ver\":\"" + SdkVersion(body) + "\"}", body);
    }

    [Fact]
    public void Sub_millisecond_precision_is_truncated_to_milliseconds()
    {
        string body = Body(new BorrowRequest("p", "h", LicenseCredential.FromLicenseKey("k"))
        {
            BorrowedUntil = Until + Duration.FromTicks(9_999),
        });

        Assert.Contains("\"borrowed_until\":\"2030-01-02T03:04:05.000Z\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Sdk_version_names_this_library_and_its_package_version()
    {
        string body = Body(new BorrowRequest("p", "h", LicenseCredential.FromLicenseKey("k")));
        Assert.Matches(new Regex(@"^LicenseClient/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), SdkVersion(body));
    }

    private static string Body(BorrowRequest request) => Encoding.UTF8.GetString(FloatingOperations.Borrow.WriteBody(request));

    private static string SdkVersion(string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("sdk_ver").GetString()!;
    }
}
