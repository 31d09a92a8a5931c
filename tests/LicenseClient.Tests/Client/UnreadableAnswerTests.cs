using System;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Client;

/// <summary>An answer that arrived but could not be read is an invalid response, not a failed connection, and is retried.</summary>
public sealed class UnreadableAnswerTests
{
    private const string JsonHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n";

    /// <summary>What the server sends, the status the error keeps, and how many attempts are made with one retry allowed.</summary>
    public static TheoryData<string, byte[], int?, int> Answers => new()
    {
        { "broken chunked framing", Encoding.ASCII.GetBytes(JsonHead + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{\"borrowed\r\n"), 200, 2 },
        { "a malformed status line", Encoding.ASCII.GetBytes("HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n"), null, 2 },
        { "headers over the size limit", Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Padding: " + new string('a', 200_000) + "\r\nContent-Length: 0\r\n\r\n"), null, 1 },
        { "corrupt gzip", [.. Encoding.ASCII.GetBytes(JsonHead + "Content-Encoding: gzip\r\nContent-Length: 16\r\n\r\n"), .. new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff }], 200, 2 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task An_answer_that_cannot_be_read_is_invalid_response_and_retried_where_it_may_help(string what, byte[] answer, int? status, int attempts)
    {
        using var server = new RawHttpServer(answer);
        using var client = new LicenseApiClient(new LicenseClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = "api-key",
            SharedKey = "shared-key",
            ServerPublicKey = TestKeys.PublicKeyPem,
            Retry = { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        });

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.True(error.ErrorCode == "invalid_response", $"{what}: {error.ErrorCode} {error.Message}");
        Assert.Equal(status, error.Status);
        Assert.NotNull(error.InnerException);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(attempts, error.Attempts);
        Assert.Equal(attempts, server.Requests);
    }
}
