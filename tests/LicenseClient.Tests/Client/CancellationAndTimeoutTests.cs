using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Client;

/// <summary>Against a server that accepts the connection and never answers.</summary>
public sealed class CancellationAndTimeoutTests : IDisposable
{
    private readonly SilentServer _server = new();

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        using var http = new HttpClient(handler);
        using var client = new LicenseApiClient(http, Options());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.BorrowAsync(Requests.WithLicenseKey(), new CancellationToken(canceled: true)));

        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task Cancelling_mid_request_surfaces_as_operation_cancelled_unwrapped()
    {
        using LicenseApiClient client = new(Options());
        using var cancellation = new CancellationTokenSource();

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);
        await _server.FirstConnection.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(borrow.IsCompleted);
        await cancellation.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => borrow);
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [Fact]
    public async Task A_timeout_that_the_caller_did_not_ask_for_is_a_typed_timeout()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        using var client = new LicenseApiClient(http, Options());

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("timeout", error.ErrorCode);
        Assert.Null(error.Status);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }

    public void Dispose() => _server.Dispose();

    private LicenseClientOptions Options() => new()
    {
        BaseAddress = _server.BaseAddress,
        ApiKey = "k",
        SharedKey = "s",
        ServerPublicKey = TestKeys.PublicKeyPem,
        Retry = { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
    };
}
