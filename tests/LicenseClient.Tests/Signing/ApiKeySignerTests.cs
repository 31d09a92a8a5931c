using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient.Tests.Signing;

public sealed class ApiKeySignerTests
{
    // The License API documentation's worked example: this shared key and Date give a signature that
    // begins "UDysfR" (the rest of the documented value is cut off in the stored copy).
    private const string DocumentedSharedKey = "kw4qSnpSwXzgiv5yxYpZZmFEd9QAeiKTQ6OuyMja";
    private static readonly Instant DocumentedDate = Instant.FromUtc(2011, 6, 7, 20, 51, 35);

    [Fact]
    public async Task Signature_matches_the_documented_example()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/");
        await new ApiKeySigner("company-key", DocumentedSharedKey).SignAsync(request, DocumentedDate, CancellationToken.None);

        Assert.Equal("Tue, 07 Jun 2011 20:51:35 GMT", Assert.Single(request.Headers.GetValues("Date")));
        string authorization = Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Equal(
            "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"UDysfR6MndUZReo07Y9r+vErn8vSxrnQ5ulit18iJ/Q=\",apikey=\"company-key\"",
            authorization);
    }

    [Fact]
    public async Task Signature_is_the_hmac_of_the_signing_string_keyed_by_the_shared_key()
    {
        const string sharedKey = "another shared key";
        Instant now = Instant.FromUtc(2026, 2, 3, 4, 5, 6) + Duration.FromMilliseconds(789);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/");

        await new ApiKeySigner("k", sharedKey).SignAsync(request, now, CancellationToken.None);

        string expected = Convert.ToBase64String(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(sharedKey), Encoding.UTF8.GetBytes("licenseSpring\ndate: Tue, 03 Feb 2026 04:05:06 GMT")));
        Assert.Equal("Tue, 03 Feb 2026 04:05:06 GMT", Assert.Single(request.Headers.GetValues("Date")));
        Assert.Contains($"signature=\"{expected}\"", Assert.Single(request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Date_is_gmt_and_invariant_whatever_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/");
            await new ApiKeySigner("k", "s").SignAsync(request, Instant.FromUtc(2026, 12, 31, 23, 59, 59), CancellationToken.None);
            Assert.Equal("Thu, 31 Dec 2026 23:59:59 GMT", Assert.Single(request.Headers.GetValues("Date")));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public async Task Signing_again_replaces_both_headers()
    {
        var signer = new ApiKeySigner("k", "s");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/");

        await signer.SignAsync(request, Instant.FromUtc(2026, 1, 1, 0, 0, 0), CancellationToken.None);
        string first = Assert.Single(request.Headers.GetValues("Authorization"));
        await signer.SignAsync(request, Instant.FromUtc(2026, 1, 1, 0, 0, 1), CancellationToken.None);

        Assert.Equal("Thu, 01 Jan 2026 00:00:01 GMT", Assert.Single(request.Headers.GetValues("Date")));
        Assert.NotEqual(first, Assert.Single(request.Headers.GetValues("Authorization")));
    }

    [Theory]
    [InlineData(null, "s", "apiKey")]
    [InlineData("", "s", "apiKey")]
    [InlineData("  ", "s", "apiKey")]
    [InlineData("k", null, "sharedKey")]
    [InlineData("k", " ", "sharedKey")]
    [InlineData("key\"with-quote", "s", "apiKey")]
    [InlineData("key with space", "s", "apiKey")]
    [InlineData("key\r\nX-Injected: 1", "s", "apiKey")]
    public void Bad_keys_are_rejected_naming_the_parameter(string? apiKey, string? sharedKey, string parameter)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new ApiKeySigner(apiKey!, sharedKey!));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public async Task Cancelled_token_stops_signing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new ApiKeySigner("k", "s").SignAsync(request, DocumentedDate, new CancellationToken(canceled: true)).AsTask());
        Assert.False(request.Headers.Contains("Authorization"));
    }

    [Fact]
    public void ToString_does_not_show_the_shared_key()
    {
        var signer = new ApiKeySigner("k", DocumentedSharedKey);
        Assert.DoesNotContain(DocumentedSharedKey, signer.ToString(), StringComparison.Ordinal);
    }
}
