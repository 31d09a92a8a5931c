using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WireMock;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>Checks on what a request looked like on the wire.</summary>
public static class Wire
{
    /// <summary>The single value of header <paramref name="name"/>.</summary>
    public static string Header(IRequestMessage request, string name)
        => Assert.Single(request.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value);

    /// <summary>
    /// Asserts a JSON POST to <paramref name="path"/>, dated <paramref name="date"/> and signed with the stub's API key
    /// and shared key: the HMAC is recomputed here, not read back from the client.
    /// </summary>
    public static void AssertSignedJsonPost(IRequestMessage request, string path, string date = "Thu, 26 Nov 2026 12:00:00 GMT")
    {
        Assert.Equal("POST", request.Method);
        Assert.Equal(path, request.Path);
        Assert.Equal("application/json", Header(request, "Accept"));
        Assert.Equal("application/json", Header(request, "Content-Type"));
        Assert.StartsWith("LicenseClient/", Header(request, "User-Agent"), StringComparison.Ordinal);
        Assert.Equal(date, Header(request, "Date"));
        string signature = Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(LicenseApiStub.SharedKey),
            Encoding.UTF8.GetBytes("licenseSpring\ndate: " + date)));
        Assert.Equal(
            $"algorithm=\"hmac-sha256\",headers=\"date\",signature=\"{signature}\",apikey=\"{LicenseApiStub.ApiKey}\"",
            Header(request, "Authorization"));
    }

    /// <summary>Asserts that the body is exactly <paramref name="fields"/> followed by this library's <c>sdk_ver</c>.</summary>
    public static void AssertBody(IRequestMessage request, string fields)
    {
        Assert.StartsWith("{" + fields + ",\"sdk_ver\":\"LicenseClient/", request.Body, StringComparison.Ordinal);
        Assert.EndsWith("\"}", request.Body, StringComparison.Ordinal);
        Assert.Equal(1, request.Body!.Count(c => c == '}'));
    }
}
