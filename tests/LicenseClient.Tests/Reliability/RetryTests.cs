using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using WireMock;

namespace LicenseClient.Tests.Reliability;

/// <summary>Faults injected on loopback, one per row of the retry decision table.</summary>
public sealed class RetryTests : IDisposable
{
    private const string HtmlBadGateway = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    private readonly LicenseApiStub _api = new();

    [Fact]
    public async Task Two_503s_then_success_takes_three_attempts_each_dated_and_signed_afresh()
    {
        _api.Clock.AutoAdvance = Duration.FromSeconds(1);
        _api.RespondInTurn(
            LicenseApiStub.ErrorAnswer(503, "service_unavailable", "Try again"),
            LicenseApiStub.ErrorAnswer(503, "service_unavailable", "Try again"),
            LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1687283003863909, borrowed.DeviceId);
        IRequestMessage[] requests = InOrder();
        Assert.Equal(3, requests.Length);
        string[] dates = requests.Select(r => Wire.Header(r, "Date")).ToArray();
        Assert.Equal(3, dates.Distinct(StringComparer.Ordinal).Count());
        foreach (IRequestMessage request in requests)
        {
            Assert.Contains($"signature=\"{Signature(Wire.Header(request, "Date"))}\"", Wire.Header(request, "Authorization"), StringComparison.Ordinal);
            Assert.Equal(requests[0].Body, request.Body);
        }
    }

    [Theory]
    [InlineData(520)]
    [InlineData(501)]
    public async Task Any_5xx_page_without_an_error_code_is_retried(int status)
    {
        _api.RespondInTurn(LicenseApiStub.Answer(status, "<html>Origin error</html>", "text/html"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task A_5xx_with_an_api_error_code_outside_the_transient_set_is_not_retried()
    {
        _api.RespondWithError(501, "not_implemented", "Not implemented");
        using LicenseApiClient client = _api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal("not_implemented", error.ErrorCode);
    }

    [Fact]
    public async Task A_proxys_502_html_page_then_success_is_retried()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(502, HtmlBadGateway, "text/html"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task A_429_with_retry_after_one_second_waits_exactly_that_long_on_the_time_provider()
    {
        _api.RespondInTurn(
            LicenseApiStub.Answer(429, "{\"status\":429,\"code\":\"too_many_requests\",\"message\":\"Slow down\"}", "application/json", ("Retry-After", "1")),
            LicenseApiStub.SuccessAnswer());
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = _api.Options();
        options.TimeProvider = time;
        using LicenseApiClient client = _api.CreateClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(1));
        Assert.Single(_api.Requests);
        Assert.False(borrow.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await borrow;

        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task Backoff_doubles_from_the_base_delay_on_the_time_provider()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(503, "", "text/plain"), LicenseApiStub.Answer(503, "", "text/plain"), LicenseApiStub.SuccessAnswer());
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = _api.Options();
        options.TimeProvider = time;
        options.Random = () => 0.5;
        options.Retry.BaseDelay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(8);
        using LicenseApiClient client = _api.CreateClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(0.8));
        Assert.Single(_api.Requests);
        time.Advance(TimeSpan.FromSeconds(0.8));
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(1.6));
        Assert.Equal(2, _api.Requests.Count);
        time.Advance(TimeSpan.FromSeconds(1.6));
        await borrow;

        Assert.Equal(3, _api.Requests.Count);
    }

    [Theory]
    [InlineData(429, "86400")]
    [InlineData(503, "86400")]
    [InlineData(503, "Sun, 29 Nov 2026 12:00:00 GMT")]
    public async Task A_retry_after_longer_than_allowed_fails_at_once_and_says_how_long(int status, string retryAfter)
    {
        _api.RespondInTurn(LicenseApiStub.Answer(status, "", "text/plain", ("Retry-After", retryAfter)), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal(status, error.Status);
        Assert.Equal(1, error.Attempts);
        Assert.True(error.RetryAfter >= TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1), $"RetryAfter {error.RetryAfter}");
        Assert.Equal(status == 429, error is RateLimitedException);
    }

    [Fact]
    public async Task A_retry_after_longer_than_what_is_left_of_the_timeout_fails_at_once()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(503, "", "text/plain", ("Retry-After", "20")), LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        options.Timeout = TimeSpan.FromSeconds(10);
        using LicenseApiClient client = _api.CreateClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.Equal("service_unavailable", error.ErrorCode);
    }

    [Fact]
    public async Task A_business_error_is_sent_exactly_once()
    {
        _api.RespondWithError(400, "floating_not_available", "No available slots for floating license");
        using LicenseApiClient client = _api.CreateClient();

        FloatingNotAvailableException error = await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal(1, error.Attempts);
        Assert.Null(error.RetryAfter);
    }

    [Theory]
    [InlineData(401, "signature_mismatch")]
    [InlineData(403, "forbidden")]
    [InlineData(404, "not_found")]
    public async Task Other_4xx_answers_are_never_retried(int status, string code)
    {
        _api.RespondWithError(status, code, "No");
        using LicenseApiClient client = _api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task When_retries_run_out_the_error_has_the_last_status_and_the_attempt_count()
    {
        _api.RespondInTurn(
            LicenseApiStub.Answer(502, HtmlBadGateway, "text/html"),
            LicenseApiStub.Answer(503, "", "text/plain", ("Retry-After", "0")));
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 2;
        using LicenseApiClient client = _api.CreateClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(3, _api.Requests.Count);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(503, error.Status);
        Assert.Equal("service_unavailable", error.ErrorCode);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
    }

    [Fact]
    public async Task A_429_that_persists_is_a_rate_limited_exception_with_the_servers_code()
    {
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(429, "too_many_requests", "Slow down"));
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 1;
        using LicenseApiClient client = _api.CreateClient(options);

        RateLimitedException error = await Assert.ThrowsAsync<RateLimitedException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(2, error.Attempts);
        Assert.Equal(429, error.Status);
        Assert.Equal("too_many_requests", error.ErrorCode);
        Assert.Equal("Slow down", error.ServerMessage);
    }

    [Fact]
    public async Task Zero_retries_sends_once()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(503, "", "text/plain"), LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_hung_answer_is_cut_by_the_attempt_timeout_and_retried()
    {
        _api.RespondWithSuccess();
        var hangFirst = new HangFirstHandler();
        using var http = new HttpClient(hangFirst);
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = _api.Options();
        options.AttemptTimeout = TimeSpan.FromSeconds(1);
        options.TimeProvider = time;
        using var client = new LicenseApiClient(http, options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await Eventually.TrueAsync(() => hangFirst.Count == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        BorrowedLicense borrowed = await borrow;

        Assert.Equal(1673449189923780, borrowed.LicenseId);
        Assert.Equal(2, hangFirst.Count);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task Attempts_that_all_time_out_end_in_a_typed_timeout()
    {
        using var server = new SilentServer();
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = SilentOptions(server);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxRetries = 1;
        options.TimeProvider = time;
        using var client = new LicenseApiClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await server.FirstConnection;
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => server.ConnectionCount == 2);
        time.Advance(TimeSpan.FromMilliseconds(100));
        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => borrow);

        Assert.Equal("timeout", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_call_timeout_ends_the_call_with_a_typed_timeout()
    {
        using var server = new SilentServer();
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = SilentOptions(server);
        options.Timeout = TimeSpan.FromMilliseconds(400);
        options.TimeProvider = time;
        using var client = new LicenseApiClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await server.FirstConnection;
        time.Advance(TimeSpan.FromMilliseconds(400));
        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => borrow);

        Assert.Equal("timeout", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("LicenseClientOptions.Timeout", error.Message, StringComparison.Ordinal);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException);
    }

    [Fact]
    public async Task Cancelling_mid_request_surfaces_unwrapped_and_is_not_retried()
    {
        using var server = new SilentServer();
        using var client = new LicenseApiClient(SilentOptions(server));
        using var cancellation = new CancellationTokenSource();

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);
        await server.FirstConnection.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => borrow);
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [Fact]
    public async Task Cancelling_mid_backoff_surfaces_unwrapped_and_sends_nothing_more()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(503, "", "text/plain"), LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        options.Retry.BaseDelay = TimeSpan.FromSeconds(20);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(20);
        options.Timeout = TimeSpan.FromMinutes(1);
        using LicenseApiClient client = _api.CreateClient(options);
        using var cancellation = new CancellationTokenSource();

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);
        await Eventually.TrueAsync(() => _api.Requests.Count == 1);
        await cancellation.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => borrow);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_typed()
    {
        // A socket bound but not listening keeps the port ours, and connecting to it is refused.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        LicenseClientOptions options = _api.Options();
        options.BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)bound.LocalEndPoint!).Port}/");
        using var client = new LicenseApiClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("connection_failed", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.Equal(4, error.Attempts);
    }

    [Fact]
    public async Task Options_changed_after_construction_have_no_effect()
    {
        _api.RespondInTurn(LicenseApiStub.Answer(503, "", "text/plain"), LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        using LicenseApiClient client = _api.CreateClient(options);
        options.Retry.MaxRetries = 0;

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.Requests.Count);
    }

    public void Dispose() => _api.Dispose();

    private static LicenseClientOptions SilentOptions(SilentServer server) => new()
    {
        BaseAddress = server.BaseAddress,
        ApiKey = LicenseApiStub.ApiKey,
        SharedKey = LicenseApiStub.SharedKey,
        ServerPublicKey = TestKeys.PublicKeyPem,
        Retry = { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
    };

    /// <summary>The first request hangs until it is cancelled; later ones go through.</summary>
    private sealed class HangFirstHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _count;

        public int Count => _count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private IRequestMessage[] InOrder() => _api.Requests.OrderBy(r => r.DateTime).ToArray();

    private static string Signature(string date)
        => Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(LicenseApiStub.SharedKey),
            Encoding.UTF8.GetBytes("licenseSpring\ndate: " + date)));
}
