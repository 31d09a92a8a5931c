using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Security;

/// <summary>Plain http only to loopback, and answers no larger than 1 MiB.</summary>
public sealed class TransportSafetyTests
{
    [Theory]
    [InlineData("http://api.licensespring.com/")]
    [InlineData("http://192.168.1.20:8080/")]
    [InlineData("http://licenses.example.test/")]
    public void An_http_base_address_that_is_not_loopback_is_refused_at_construction(string address)
    {
        var options = new LicenseClientOptions { BaseAddress = new Uri(address), ApiKey = "k", SharedKey = "s", ServerPublicKey = TestKeys.PublicKeyPem };

        string message = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message;

        Assert.Contains("LicenseClientOptions.BaseAddress", message, StringComparison.Ordinal);
        Assert.Contains("must use https", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://127.8.9.10/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://licenses.example.test/")]
    public void Loopback_http_and_any_https_are_allowed(string address)
    {
        var options = new LicenseClientOptions { BaseAddress = new Uri(address), ApiKey = "k", SharedKey = "s", ServerPublicKey = TestKeys.PublicKeyPem };

        using var client = new LicenseApiClient(options);

        Assert.NotNull(client);
    }

    [Fact]
    public void An_http_token_endpoint_that_is_not_loopback_is_refused_at_construction()
    {
        var options = new LicenseClientOptions
        {
            BaseAddress = new Uri("https://licenses.example.test/"),
            ClientId = "id",
            ClientSecret = "secret",
            TokenEndpoint = new Uri("http://auth.example.test/token"),
            ServerPublicKey = TestKeys.PublicKeyPem,
        };

        Assert.Contains("LicenseClientOptions.TokenEndpoint", Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_address_is_named_without_the_user_name_and_password_it_holds()
    {
        var baseAddress = new LicenseClientOptions { BaseAddress = new Uri("http://ann:pa55word@licenses.example.test:8080/"), ApiKey = "k", SharedKey = "s", ServerPublicKey = TestKeys.PublicKeyPem };
        var tokenEndpoint = new LicenseClientOptions
        {
            BaseAddress = new Uri("https://licenses.example.test/"),
            ClientId = "id",
            ClientSecret = "secret",
            TokenEndpoint = new Uri("http://ann:pa55word@auth.example.test/token"),
            ServerPublicKey = TestKeys.PublicKeyPem,
        };

        string first = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(baseAddress)).Message;
        string second = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(tokenEndpoint)).Message;

        Assert.Contains("(http://licenses.example.test:8080)", first, StringComparison.Ordinal);
        Assert.Contains("(http://auth.example.test)", second, StringComparison.Ordinal);
        Assert.All(new[] { first, second }, message => Assert.DoesNotContain("pa55word", message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_announced_larger_than_1_mib_is_refused_unread()
    {
        using var api = new LicenseApiStub().RespondToBorrow(200, new string(' ', (1024 * 1024) + 1));
        LicenseClientOptions options = api.Options();
        using LicenseApiClient client = api.CreateClient(options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Equal(200, error.Status);
        Assert.Contains("larger than 1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_body_is_cut_off_after_1_mib()
    {
        var endless = new EndlessStream();
        using var http = new HttpClient(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(endless) }));
        var options = new LicenseClientOptions { BaseAddress = new Uri("http://127.0.0.1:1/"), ApiKey = "k", SharedKey = "s", ServerPublicKey = TestKeys.PublicKeyPem };
        using var client = new LicenseApiClient(http, options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Equal(1, error.Attempts);
        Assert.InRange(endless.BytesRead, 1024 * 1024, (1024 * 1024) + (64 * 1024));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1024 * 1024)]
    public async Task A_body_longer_than_its_declared_length_is_still_cut_off_after_1_mib(long declared)
    {
        var endless = new EndlessStream();
        using var http = new HttpClient(new StubHandler(_ =>
        {
            var content = new StreamContent(endless);
            content.Headers.ContentLength = declared;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }));
        var options = new LicenseClientOptions { BaseAddress = new Uri("http://127.0.0.1:1/"), ApiKey = "k", SharedKey = "s", ServerPublicKey = TestKeys.PublicKeyPem };
        using var client = new LicenseApiClient(http, options);

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.InRange(endless.BytesRead, 1024 * 1024, (1024 * 1024) + (64 * 1024));
    }

    /// <summary>A body that never ends and has no length, counting what was read of it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            BytesRead += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            buffer.Span.Fill((byte)' ');
            BytesRead += buffer.Length;
            return ValueTask.FromResult(buffer.Length);
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
