using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Security;

/// <summary>Re-authentication lives in the signer: a custom <see cref="IRenewableRequestSigner"/> takes part like the OAuth one.</summary>
public sealed class RenewableSignerTests : IDisposable
{
    private readonly LicenseApiStub _api = new();

    [Fact]
    public async Task A_refused_request_is_signed_again_and_resent_once_when_the_signer_renews()
    {
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(401, "signature_mismatch", "Signature mismatch"), LicenseApiStub.SuccessAnswer());
        var signer = new RotatingSigner(renew: true);
        using LicenseApiClient client = _api.CreateClient(WithSigner(signer));

        await client.BorrowAsync(Requests.WithLicenseKey());

        (int status, string? code) = Assert.Single(signer.Refusals);
        Assert.Equal(401, status);
        Assert.Equal("signature_mismatch", code);
        Assert.Equal(["old-key"], signer.RefusedKeys);
        Assert.Equal(2, _api.Requests.Count);
        Assert.Contains(_api.Requests, request => Wire.Header(request, "Authorization").EndsWith("apikey=\"new-key\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signer_that_does_not_renew_leaves_the_refusal_as_it_is()
    {
        _api.RespondWithError(401, "signature_mismatch", "Signature mismatch");
        var signer = new RotatingSigner(renew: false);
        using LicenseApiClient client = _api.CreateClient(WithSigner(signer));

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("signature_mismatch", error.ErrorCode);
        Assert.Single(signer.Refusals);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task A_signer_that_always_renews_gets_one_resend_per_attempt()
    {
        _api.RespondWithError(401, "signature_mismatch", "Signature mismatch");
        var signer = new RotatingSigner(renew: true);
        LicenseClientOptions options = WithSigner(signer);
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(1, error.Attempts);
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task A_renewal_that_throws_is_signing_failed()
    {
        _api.RespondWithError(401, "signature_mismatch", "Signature mismatch");
        var signer = new RotatingSigner(renew: true) { Failure = new InvalidOperationException("vault locked") };
        using LicenseApiClient client = _api.CreateClient(WithSigner(signer));

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("signing_failed", error.ErrorCode);
        Assert.Same(signer.Failure, error.InnerException);
        Assert.Single(_api.Requests);
    }

    public static TheoryData<int, string?> NotAuthorizationRefusals => new()
    {
        { 200, null },
        { 429, "too_many_requests" },
        { 503, null },
        { 500, "internal_error" },
        { 400, "date_header_diff" },
        { 400, "floating_not_available" },
    };

    [Theory]
    [MemberData(nameof(NotAuthorizationRefusals))]
    public async Task Only_authorization_refusals_ask_the_signer_to_renew(int status, string? code)
    {
        _api.RespondToBorrow(status, status == 200 ? LicenseApiStub.SuccessBody : code is null ? "" : $"{{\"status\":{status},\"code\":\"{code}\",\"message\":\"m\"}}");
        var signer = new RotatingSigner(renew: true);
        LicenseClientOptions options = WithSigner(signer);
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        await Record.ExceptionAsync(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Empty(signer.Refusals);
    }

    [Theory]
    [InlineData(403, null)]
    [InlineData(400, "invalid_api_key")]
    [InlineData(401, "oauth_token_expired")]
    public async Task A_401_or_403_or_an_authorization_code_asks_the_signer(int status, string? code)
    {
        _api.RespondToBorrow(status, code is null ? "" : $"{{\"status\":{status},\"code\":\"{code}\",\"message\":\"Refused words\"}}");
        var signer = new RotatingSigner(renew: false);
        using LicenseApiClient client = _api.CreateClient(WithSigner(signer));

        await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([(status, code)], signer.Refusals);
    }

    public void Dispose() => _api.Dispose();

    private LicenseClientOptions WithSigner(IRequestSigner signer)
    {
        LicenseClientOptions options = _api.Options();
        options.Signer = signer;
        return options;
    }

    /// <summary>Signs with an API key of its own, and moves from an old key to a new one when asked to renew.</summary>
    private sealed class RotatingSigner(bool renew) : IRenewableRequestSigner
    {
        private string _key = "old-key";

        public List<(int Status, string? Code)> Refusals { get; } = [];

        public List<string> RefusedKeys { get; } = [];

        public Exception? Failure { get; init; }

        public ValueTask SignAsync(HttpRequestMessage request, Instant now, CancellationToken cancellationToken)
            => new ApiKeySigner(_key, LicenseApiStub.SharedKey).SignAsync(request, now, cancellationToken);

        public ValueTask<bool> RenewAsync(RequestRefusal refusal, CancellationToken cancellationToken)
        {
            Refusals.Add((refusal.Status, refusal.ErrorCode));
            RefusedKeys.Add(Regex.Match(string.Join(",", refusal.Request.Headers.GetValues("Authorization")), "apikey=\"([^\"]*)\"").Groups[1].Value);
            if (Failure is not null)
            {
                throw Failure;
            }

            _key = "new-key";
            return new ValueTask<bool>(renew);
        }
    }
}
