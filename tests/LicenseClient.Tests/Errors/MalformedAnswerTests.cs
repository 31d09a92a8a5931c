using System;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Errors;

/// <summary>Answers that are not what the API documents, and requests that get no answer at all.</summary>
public sealed class MalformedAnswerTests
{
    public static TheoryData<int, string, string> BadAnswers => new()
    {
        { 404, "<html><body><h1>404 Not Found</h1></body></html>", "text/html" },
        { 400, "", "text/plain" },
        { 400, "{\"status\":400,\"code\":", "application/json" },
        { 403, "{\"status\":403,\"message\":\"Forbidden\"}", "application/json" },
        { 400, "[1,2,3]", "application/json" },
        { 200, "<html>captive portal</html>", "text/html" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1", "application/json" },
        { 200, "{\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1}", "application/json" },
        { 200, "{\"borrowed_until\":null,\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"soon\",\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":-1,\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":1e300,\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":\"12\",\"device_id\":1,\"license_id\":2}", "application/json" },
        { 200, "null", "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task An_answer_that_cannot_be_understood_is_an_invalid_response_with_its_status(int status, string body, string contentType)
    {
        using var api = new LicenseApiStub().RespondToBorrow(status, body, contentType);
        using LicenseApiClient client = api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Equal(status, error.Status);
        Assert.Null(error.ServerMessage);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("(invalid_response)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")]
    [InlineData(500, "", "text/plain")]
    [InlineData(503, "{\"status\":503}", "application/json")]
    [InlineData(408, "", "text/plain")]
    public async Task A_server_or_proxy_error_without_a_code_is_service_unavailable_with_its_status(int status, string body, string contentType)
    {
        using var api = new LicenseApiStub().RespondToBorrow(status, body, contentType);
        LicenseClientOptions options = api.Options();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = api.CreateClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(typeof(LicenseApiException), error.GetType());
        Assert.Equal("service_unavailable", error.ErrorCode);
        Assert.Equal(status, error.Status);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_by_the_clients_own_http_client()
    {
        using var api = new LicenseApiStub().RespondWithRedirect(307);
        using LicenseApiClient client = api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(307, error.Status);
        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_body_that_is_not_json_keeps_the_parser_error_as_inner_exception()
    {
        using var api = new LicenseApiStub().RespondToBorrow(502, "<html>Bad Gateway</html>", "text/html");
        using LicenseApiClient client = api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_connection_failed_with_no_status()
    {
        // A socket bound but not listening keeps the port ours, and connecting to it is refused.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new LicenseClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)bound.LocalEndPoint!).Port}/"),
            ApiKey = "k",
            SharedKey = "s",
            ServerPublicKey = TestKeys.PublicKeyPem,
            Retry = { MaxRetries = 0 },
        };
        using var client = new LicenseApiClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("connection_failed", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.NotNull(error.InnerException);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }
}
