using System;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using WireMock;

namespace LicenseClient.Tests.Client;

/// <summary>What goes over the wire, checked at a loopback server.</summary>
public sealed class BorrowWireTests : IDisposable
{
    private readonly LicenseApiStub _api = new LicenseApiStub().RespondWithSuccess();

    public static TheoryData<LicenseCredential, string> Credentials => new()
    {
        { LicenseCredential.FromLicenseKey("AAAA-BBBB"), "\"license_key\":\"AAAA-BBBB\"" },
        { LicenseCredential.FromUser("ann@example.test", "pw"), "\"username\":\"ann@example.test\",\"password\":\"pw\"" },
        { LicenseCredential.FromIdToken("eyJ.token", "ACME"), "\"id_token\":\"eyJ.token\",\"customer_account_code\":\"ACME\"" },
        {
            LicenseCredential.FromAuthorizationCode("code-1", "ACME", new Uri("https://app.example.test/cb")),
            "\"code\":\"code-1\",\"customer_account_code\":\"ACME\",\"redirect_uri\":\"https://app.example.test/cb\""
        },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task Each_credential_kind_sends_a_signed_post_with_its_fields(LicenseCredential credential, string fields)
    {
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(new BorrowRequest("product-x", "hw-1234", credential) { BorrowedUntil = Instant.FromUtc(2030, 1, 2, 3, 4, 5) });

        IRequestMessage request = _api.SingleRequest;
        Wire.AssertSignedJsonPost(request, LicenseApiStub.BorrowPath);

        Assert.StartsWith(
            "{\"product\":\"product-x\",\"hardware_id\":\"hw-1234\",\"borrowed_until\":\"2030-01-02T03:04:05.000Z\"," + fields + ",\"sdk_ver\":\"LicenseClient/",
            request.Body,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_borrowed_until_goes_out_as_json_null()
    {
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(new BorrowRequest("p", "h", LicenseCredential.FromLicenseKey("k")));

        Assert.Contains("\"borrowed_until\":null", _api.SingleRequest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Success_answer_becomes_a_borrowed_license()
    {
        using LicenseApiClient client = _api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(
            new BorrowedLicense(Instant.FromUtc(2030, 1, 2, 3, 4, 5), Duration.FromHours(12), 1687283003863909, 1673449189923780),
            borrowed);
        Assert.Equal(276, borrowed.CompanyId);
    }

    [Fact]
    public async Task An_answer_without_a_company_borrows_with_no_company_id()
    {
        using var api = new LicenseApiStub().RespondToBorrow(200, "{\"borrowed_until\":\"2030-01-02T03:04:05Z\",\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}");
        using LicenseApiClient client = api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Null(borrowed.CompanyId);
        Assert.Equal(2, borrowed.LicenseId);
    }

    [Theory]
    [InlineData("\"2030-01-02T03:04:05Z\"", 0)]
    [InlineData("\"2030-01-02T03:04:05.250Z\"", 250)]
    [InlineData("\"2030-01-02T05:04:05+02:00\"", 0)]
    [InlineData("\"2030-01-02T03:04:05.000\"", 0)]
    public async Task Answer_timestamps_with_or_without_fraction_or_offset_are_read(string borrowedUntil, int milliseconds)
    {
        using var api = new LicenseApiStub().RespondToBorrow(
            200, "{\"borrowed_until\":" + borrowedUntil + ",\"max_borrow_time\":1.5,\"device_id\":7,\"license_id\":8}");
        using LicenseApiClient client = api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(Instant.FromUtc(2030, 1, 2, 3, 4, 5) + Duration.FromMilliseconds(milliseconds), borrowed.BorrowedUntil);
        Assert.Equal(Duration.FromMinutes(90), borrowed.MaxBorrowTime);
    }

    [Fact]
    public async Task Each_call_is_dated_and_signed_with_the_clock_of_that_moment()
    {
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(61));
        await client.BorrowAsync(Requests.WithLicenseKey());

        IRequestMessage[] requests = _api.Requests.OrderBy(r => r.DateTime).ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("Thu, 26 Nov 2026 12:00:00 GMT", Wire.Header(requests[0], "Date"));
        Assert.Equal("Thu, 26 Nov 2026 12:01:01 GMT", Wire.Header(requests[1], "Date"));
        Assert.NotEqual(Wire.Header(requests[0], "Authorization"), Wire.Header(requests[1], "Authorization"));
    }

    [Fact]
    public async Task A_custom_signer_wins_over_the_api_key()
    {
        LicenseClientOptions options = _api.Options();
        options.Signer = new BearerSigner("token-123");
        using var client = new LicenseApiClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal("Bearer token-123", Wire.Header(_api.SingleRequest, "Authorization"));
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_it()
    {
        using var api = new LicenseApiStub();
        api.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/prefix" + LicenseApiStub.BorrowPath).UsingPost())
            .RespondWith(LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = api.Options();
        options.BaseAddress = new Uri(api.BaseAddress, "prefix");
        using var client = new LicenseApiClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal("/prefix" + LicenseApiStub.BorrowPath, api.SingleRequest.Path);
    }

    [Fact]
    public async Task A_callers_http_client_is_used_and_not_disposed()
    {
        using var http = new HttpClient();
        using (var client = new LicenseApiClient(http, _api.Options()))
        {
            await client.BorrowAsync(Requests.WithLicenseKey());
        }

        using HttpResponseMessage stillUsable = await http.PostAsync(new Uri(_api.BaseAddress, "api/v4/floating/borrow"), new StringContent("{}"));
        Assert.Equal(2, _api.Requests.Count);
    }

    public void Dispose() => _api.Dispose();

    private sealed class BearerSigner(string token) : IRequestSigner
    {
        public ValueTask SignAsync(HttpRequestMessage request, Instant now, System.Threading.CancellationToken cancellationToken)
        {
            request.Headers.Date = now.ToDateTimeOffset();
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return default;
        }
    }
}
