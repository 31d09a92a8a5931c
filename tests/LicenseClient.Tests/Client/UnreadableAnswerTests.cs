using System;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Client;

/// <summary>An answer that arrived but could not be read is an invalid response, not a failed connection, and is retried.</summary>
public sealed class UnreadableAnswerTests
{
    private const string JsonHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n";

    public static TheoryData<string, byte[], int?> Answers => new()
    {
        { "broken chunked framing", Encoding.ASCII.GetBytes(JsonHead + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{\"borrowed\r\n"), 200 },
        { "headers over the size limit", Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Padding: " + new string('a', 200_000) + "\r\nContent-Length: 0\r\n\r\n"), null },
        { "corrupt gzip", [.. Encoding.ASCII.GetBytes(JsonHead + "Content-Encoding: gzip\r\nContent-Length: 16\r\n\r\n"), .. new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff }], 200 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task An_answer_that_cannot_be_read_is_invalid_response_and_retried(string what, byte[] answer, int? status)
    {
        using var server = new RawHttpServer(answer);
        using var client = new LicenseApiClient(new LicenseClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = LicenseApiStub.ApiKey,
            SharedKey = LicenseApiStub.SharedKey,
            ServerPublicKey = TestKeys.PublicKeyPem,
            Retry = { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        });

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.True(error.ErrorCode == "invalid_response", $"{what}: {error.ErrorCode} {error.Message}");
        Assert.Equal(status, error.Status);
        Assert.NotNull(error.InnerException);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, server.Requests);
    }
}
