using System;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Client;

public sealed class ConstructionTests
{
    [Fact]
    public void Defaults_are_the_production_server_and_the_system_clock()
    {
        var options = new LicenseClientOptions();
        Assert.Equal(new Uri("https://api.licensespring.com/"), options.BaseAddress);
        Assert.Same(SystemClock.Instance, options.Clock);
        Assert.Null(options.Signer);
    }

    [Fact]
    public void No_credentials_fail_at_construction_saying_what_to_set()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(new LicenseClientOptions()));
        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("SharedKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Signer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key", null, "SharedKey is not")]
    [InlineData(null, "shared", "ApiKey is not")]
    [InlineData("bad key", "shared", "ApiKey may hold only")]
    public void Half_an_api_key_pair_fails_at_construction(string? apiKey, string? sharedKey, string expected)
    {
        var options = new LicenseClientOptions { ApiKey = apiKey, SharedKey = sharedKey };
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_named()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new LicenseApiClient(null!)).ParamName);
        using var http = new HttpClient();
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new LicenseApiClient(http, null!)).ParamName);
        Assert.Equal("httpClient", Assert.Throws<ArgumentNullException>(() => new LicenseApiClient(null!, new LicenseClientOptions { ApiKey = "k", SharedKey = "s" })).ParamName);
    }

    [Theory]
    [InlineData("ftp://example.test/")]
    [InlineData("file:///tmp/x")]
    [InlineData("https://example.test/?x=1")]
    public void A_base_address_that_is_not_http_is_refused_when_set(string address)
        => Assert.Throws<ArgumentException>(() => new LicenseClientOptions { BaseAddress = new Uri(address) });

    [Fact]
    public void Null_settings_are_refused_when_set()
    {
        Assert.Throws<ArgumentNullException>(() => new LicenseClientOptions { BaseAddress = null! });
        Assert.Throws<ArgumentNullException>(() => new LicenseClientOptions { Clock = null! });
        Assert.Throws<ArgumentException>(() => new LicenseClientOptions { BaseAddress = new Uri("/relative", UriKind.Relative) });
    }

    [Fact]
    public void A_base_address_without_trailing_slash_gets_one()
        => Assert.Equal("https://example.test/prefix/", new LicenseClientOptions { BaseAddress = new Uri("https://example.test/prefix") }.BaseAddress.AbsoluteUri);

    [Fact]
    public async Task Null_request_is_refused_before_any_io()
    {
        using var api = new LicenseApiStub().RespondWithSuccess();
        using LicenseApiClient client = api.CreateClient();

        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.BorrowAsync(null!))).ParamName);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Options_changed_after_construction_have_no_effect()
    {
        using var api = new LicenseApiStub().RespondWithSuccess();
        LicenseClientOptions options = api.Options();
        using var client = new LicenseApiClient(options);

        options.BaseAddress = new Uri("http://127.0.0.1:9/");
        options.SharedKey = "changed";
        options.Clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2000, 1, 1, 0, 0));
        await client.BorrowAsync(Requests.WithLicenseKey());

        const string date = "Thu, 26 Nov 2026 12:00:00 GMT";
        Assert.Equal(date, api.SingleRequest.Headers!["Date"][0]);
        string signature = Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(LicenseApiStub.SharedKey),
            Encoding.UTF8.GetBytes("licenseSpring\ndate: " + date)));
        Assert.Contains($"signature=\"{signature}\"", string.Join(",", api.SingleRequest.Headers["Authorization"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disposed_client_refuses_new_calls()
    {
        using var api = new LicenseApiStub().RespondWithSuccess();
        LicenseApiClient client = api.CreateClient();
        client.Dispose();
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task One_client_serves_many_concurrent_borrows()
    {
        using var api = new LicenseApiStub().RespondWithSuccess();
        using LicenseApiClient client = api.CreateClient();

        BorrowedLicense[] results = await Task.WhenAll(
            Enumerable.Range(0, 64).Select(i => client.BorrowAsync(Requests.WithLicenseKey() with { HardwareId = "hw-" + i })));

        Assert.All(results, r => Assert.Equal(1687283003863909, r.DeviceId));
        Assert.Equal(64, api.Requests.Count);
    }
}
