using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using WireMock;

namespace LicenseClient.Tests.Security;

/// <summary>OAuth client credentials: one cached token, renewed in time, fetched once however many borrow at once.</summary>
public sealed class OAuthTests : IDisposable
{
    private readonly LicenseApiStub _api = new();

    [Fact]
    public async Task The_token_is_fetched_once_and_sent_as_a_bearer_with_the_date()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1")).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        IRequestMessage token = Assert.Single(_api.TokenRequests);
        Assert.Equal("grant_type=client_credentials&client_id=client-1&client_secret=client-secret-0123", token.Body);
        Assert.StartsWith("application/x-www-form-urlencoded", Wire.Header(token, "Content-Type"), StringComparison.Ordinal);
        Assert.All(_api.BorrowRequests, borrow =>
        {
            Assert.Equal("Bearer token-1", Wire.Header(borrow, "Authorization"));
            Assert.Equal("Thu, 26 Nov 2026 12:00:00 GMT", Wire.Header(borrow, "Date"));
        });
        Assert.Equal(2, _api.BorrowRequests.Count);
    }

    [Fact]
    public async Task The_token_is_renewed_before_it_expires()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1", expiresIn: 300), LicenseApiStub.TokenAnswer("token-2", expiresIn: 300)).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(265));
        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(10));
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.TokenRequests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], _api.BorrowRequests.OrderBy(r => r.DateTime).Select(r => Wire.Header(r, "Authorization")));
    }

    [Fact]
    public async Task Thirty_two_borrows_at_once_make_exactly_one_token_request()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1").WithDelay(TimeSpan.FromMilliseconds(300))).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => client.BorrowAsync(Requests.WithLicenseKey())));

        Assert.Single(_api.TokenRequests);
        Assert.Equal(32, _api.BorrowRequests.Count);
    }

    [Theory]
    [InlineData(401, "oauth_token_expired")]
    [InlineData(401, "unauthorized")]
    [InlineData(400, "oauth_token_malformed")]
    public async Task A_refused_token_is_renewed_and_the_call_retried_once(int status, string code)
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1"), LicenseApiStub.TokenAnswer("token-2"))
            .RespondInTurn(LicenseApiStub.ErrorAnswer(status, code, "Token refused"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.TokenRequests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], _api.BorrowRequests.OrderBy(r => r.DateTime).Select(r => Wire.Header(r, "Authorization")));
    }

    [Fact]
    public async Task A_token_refused_twice_is_a_typed_error_after_one_renewal()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1"), LicenseApiStub.TokenAnswer("token-2"))
            .RespondWithError(401, "oauth_token_expired", "Token expired");
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("oauth_token_expired", error.ErrorCode);
        Assert.Equal(2, _api.BorrowRequests.Count);
    }

    [Theory]
    [InlineData(401, "invalid_client")]
    [InlineData(400, "unauthorized_client")]
    [InlineData(403, null)]
    public async Task A_token_endpoint_that_refuses_the_client_is_oauth_invalid_client(int status, string? error)
    {
        string body = error is null ? "" : $"{{\"error\":\"{error}\",\"error_description\":\"Invalid client or Invalid client credentials\"}}";
        _api.RespondToTokenInTurn(LicenseApiStub.UnsignedAnswer(status, body)).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions("SECRET-never-shown"));

        LicenseAuthorizationException refused = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("oauth_invalid_client", refused.ErrorCode);
        Assert.Equal(status, refused.Status);
        Assert.Equal(error, refused.ServerMessage);
        Assert.DoesNotContain("SECRET-never-shown", refused.ToString(), StringComparison.Ordinal);
        Assert.Single(_api.TokenRequests);
        Assert.Empty(_api.BorrowRequests);
    }

    [Fact]
    public async Task A_failing_token_endpoint_is_retried_like_any_transient_failure()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.UnsignedAnswer(503, "<html>down</html>", "text/html"), LicenseApiStub.TokenAnswer("token-1")).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.TokenRequests.Count);
        Assert.Single(_api.BorrowRequests);
    }

    [Fact]
    public async Task A_failed_early_renewal_keeps_using_the_token_until_it_expires()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-1", expiresIn: 300), LicenseApiStub.UnsignedAnswer(503, "down", "text/plain")).RespondWithSuccess();
        LicenseClientOptions options = _api.OAuthOptions();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(280));
        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(30));
        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("service_unavailable", error.ErrorCode);
        Assert.Equal(["Bearer token-1", "Bearer token-1"], _api.BorrowRequests.OrderBy(r => r.DateTime).Select(r => Wire.Header(r, "Authorization")));
    }

    [Fact]
    public async Task An_expiry_written_as_a_string_is_read()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.UnsignedAnswer(200, "{\"access_token\":\"token-s\",\"expires_in\":\"480\"}")).RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(_api.OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal("Bearer token-s", Wire.Header(Assert.Single(_api.BorrowRequests), "Authorization"));
    }

    [Fact]
    public async Task Configuration_keys_build_the_oauth_signer()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-configured")).RespondWithSuccess();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LicenseClient:BaseAddress"] = _api.BaseAddress.AbsoluteUri,
            ["LicenseClient:ClientId"] = "client-1",
            ["LicenseClient:ClientSecret"] = "client-secret-0123",
            ["LicenseClient:TokenEndpoint"] = _api.TokenEndpoint.AbsoluteUri,
            ["LicenseClient:ServerPublicKey"] = TestKeys.PublicKeyPem,
        }).Build();
        var services = new ServiceCollection();
        services.AddLicenseClient(configuration.GetSection("LicenseClient"));
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal("Bearer token-configured", Wire.Header(Assert.Single(_api.BorrowRequests), "Authorization"));
    }

    [Theory]
    [InlineData("client-1", null, "LicenseClientOptions.ClientSecret")]
    [InlineData(null, "secret", "LicenseClientOptions.ClientId")]
    public void Half_the_client_credentials_fail_at_construction_naming_the_other(string? clientId, string? clientSecret, string named)
    {
        LicenseClientOptions options = _api.Options();
        options.ApiKey = null;
        options.SharedKey = null;
        options.ClientId = clientId;
        options.ClientSecret = clientSecret;

        Assert.Contains(named, Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_an_api_key_and_client_credentials_is_refused()
    {
        LicenseClientOptions options = _api.OAuthOptions();
        options.ApiKey = "k";

        Assert.Contains("not both", Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signer_checks_its_arguments()
    {
        Assert.Equal("clientId", Assert.Throws<ArgumentException>(() => new OAuthClientCredentialsSigner(" ", "secret")).ParamName);
        Assert.Equal("clientSecret", Assert.ThrowsAny<ArgumentException>(() => new OAuthClientCredentialsSigner("id", null!)).ParamName);
        Assert.Equal("tokenEndpoint", Assert.Throws<ArgumentException>(() => new OAuthClientCredentialsSigner("id", "secret", new Uri("http://auth.example.test/token"))).ParamName);
        using var signer = new OAuthClientCredentialsSigner("id", "secret");
        Assert.Equal(LicenseClientOptions.DefaultTokenEndpoint, signer.TokenEndpoint);
    }

    public void Dispose() => _api.Dispose();
}
