using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient.Benchmarks;

/// <summary>
/// The floor: the least a borrow must do, written by hand over <see cref="HttpClient"/>. It signs the <c>Date</c>
/// with HMAC-SHA256 as the API-key authorization requires, posts the given body, verifies the answer's
/// <c>LicenseSignature</c> with an RSA key imported once, and reads the answer with <see cref="JsonDocument"/>.
/// </summary>
public sealed class FloorClient : IDisposable
{
    private const string SigningPrefix = "licenseSpring\ndate: ";

    private readonly HttpClient _http = new();
    private readonly RSA _key = RSA.Create();
    private readonly Uri _uri;
    private readonly string _apiKey;
    private readonly byte[] _sharedKey;
    private readonly byte[] _body;

    public FloorClient(Uri baseAddress, string publicKeyPem, string apiKey, string sharedKey, byte[] body)
    {
        _uri = new Uri(baseAddress, "api/v4/floating/borrow");
        _key.ImportFromPem(publicKeyPem);
        _apiKey = apiKey;
        _sharedKey = Encoding.UTF8.GetBytes(sharedKey);
        _body = body;
    }

    /// <summary>One borrow; a refusal throws <see cref="InvalidOperationException"/> with the answer's code.</summary>
    public async Task<FloorBorrow> BorrowAsync(CancellationToken cancellationToken)
    {
        string date = DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        string signature = Convert.ToBase64String(HMACSHA256.HashData(_sharedKey, Encoding.UTF8.GetBytes(SigningPrefix + date)));
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Date", date);
        request.Headers.TryAddWithoutValidation("Authorization", $"algorithm=\"hmac-sha256\",headers=\"date\",signature=\"{signature}\",apikey=\"{_apiKey}\"");

        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using JsonDocument error = JsonDocument.Parse(body);
            throw new InvalidOperationException(error.RootElement.GetProperty("code").GetString());
        }

        if (!response.Headers.TryGetValues("LicenseSignature", out IEnumerable<string>? values)
            || !_key.VerifyData(body, Convert.FromBase64String(string.Concat(values)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw new InvalidDataException("The answer's signature does not verify.");
        }

        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        return new FloorBorrow(
            root.GetProperty("borrowed_until").GetDateTimeOffset(),
            TimeSpan.FromHours(root.GetProperty("max_borrow_time").GetDouble()),
            root.GetProperty("device_id").GetInt64(),
            root.GetProperty("license_id").GetInt64());
    }

    public void Dispose()
    {
        _http.Dispose();
        _key.Dispose();
    }
}

/// <summary>What the floor reads from a borrow answer.</summary>
public readonly record struct FloorBorrow(DateTimeOffset BorrowedUntil, TimeSpan MaxBorrowTime, long DeviceId, long LicenseId);
