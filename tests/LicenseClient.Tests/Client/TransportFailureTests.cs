using System;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Client;

/// <summary>Whatever goes wrong below the client reaches the caller as a typed exception.</summary>
public sealed class TransportFailureTests
{
    private static readonly Uri Loopback = new("http://127.0.0.1:1/");

    public static TheoryData<Exception> HandlerFailures => new()
    {
        new HttpRequestException("reset"),
        new System.IO.IOException("broken pipe"),
        new AuthenticationException("bad certificate"),
        new System.Net.Sockets.SocketException(10054),
        new InvalidOperationException("a handler's own failure"),
    };

    [Theory]
    [MemberData(nameof(HandlerFailures))]
    public async Task Any_failure_of_the_handler_chain_is_connection_failed(Exception failure)
    {
        using var http = new HttpClient(new StubHandler(_ => throw failure));
        using var client = new LicenseApiClient(http, Options());

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("connection_failed", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.Same(failure, error.InnerException);
    }

    [Fact]
    public async Task A_response_without_content_is_an_invalid_response()
    {
        using var http = new HttpClient(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = null }));
        using var client = new LicenseApiClient(http, Options());

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Equal(403, error.Status);
    }

    [Theory]
    [InlineData(200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}")]
    [InlineData(400, "{\"status\":400,\"code\":\"floating_not_available\",\"message\":\"No slots\"}")]
    public async Task A_byte_order_mark_before_the_json_is_skipped(int status, string json)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(json)];
        var answer = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
        answer.Headers.Add("LicenseSignature", TestKeys.Sign(body));
        using var http = new HttpClient(new StubHandler(_ => answer));
        using var client = new LicenseApiClient(http, Options());

        if (status == 200)
        {
            Assert.Equal(1, (await client.BorrowAsync(Requests.WithLicenseKey())).DeviceId);
        }
        else
        {
            await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
        }
    }

    [Fact]
    public async Task A_failing_signer_is_signing_failed_and_nothing_is_sent()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var http = new HttpClient(handler);
        LicenseClientOptions options = Options();
        var failure = new HttpRequestException("token endpoint unreachable");
        options.Signer = new ThrowingSigner(failure);
        using var client = new LicenseApiClient(http, options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("signing_failed", error.ErrorCode);
        Assert.Same(failure, error.InnerException);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task A_typed_failure_of_the_signer_reaches_the_caller_unchanged()
    {
        LicenseClientOptions options = Options();
        var failure = new LicenseAuthorizationException(401, "oauth_token_expired", null);
        options.Signer = new ThrowingSigner(failure);
        using var client = new LicenseApiClient(options);

        Assert.Same(failure, await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey())));
    }

    [Fact]
    public async Task A_clock_outside_the_range_of_http_dates_is_signing_failed()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var http = new HttpClient(handler);
        LicenseClientOptions options = Options();
        options.Clock = new FakeClock(Instant.MinValue);
        using var client = new LicenseApiClient(http, options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("signing_failed", error.ErrorCode);
        Assert.Equal(0, handler.Count);
    }

    private static LicenseClientOptions Options() => new()
    {
        BaseAddress = Loopback,
        ApiKey = "k",
        SharedKey = "s",
        ServerPublicKey = TestKeys.PublicKeyPem,
        Retry = { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
    };

    private sealed class ThrowingSigner(Exception failure) : IRequestSigner
    {
        public ValueTask SignAsync(HttpRequestMessage request, Instant now, CancellationToken cancellationToken) => throw failure;
    }
}
