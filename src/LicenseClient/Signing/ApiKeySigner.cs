using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using LicenseClient.Signing;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Signs requests with an API key and its shared key, as the License API's API-key authorization
/// requires: a <c>Date</c> header, and an <c>Authorization</c> header carrying the Base64 HMAC-SHA256,
/// keyed by the shared key, of <c>licenseSpring\ndate: {Date}</c>.
/// </summary>
/// <remarks>
/// The shared key never leaves this object: it is not sent, logged, or shown by <see cref="object.ToString"/>.
/// Instances are immutable and safe to use from many threads.
/// </remarks>
public sealed class ApiKeySigner : IRequestSigner
{
    private const string SigningPrefix = "licenseSpring\ndate: ";

    private readonly string _apiKey;
    private readonly byte[] _sharedKey;

    /// <summary>Creates a signer for an API key and its shared key.</summary>
    /// <param name="apiKey">The company's API key; sent in the <c>Authorization</c> header.</param>
    /// <param name="sharedKey">The shared key that signs requests; never sent.</param>
    /// <exception cref="ArgumentException">
    /// A value is null, empty or white space, or <paramref name="apiKey"/> holds a character that cannot
    /// stand in a header (a quote, a backslash, or a control or non-ASCII character).
    /// </exception>
    public ApiKeySigner(string apiKey, string sharedKey)
    {
        Guard.NotBlank(apiKey, nameof(apiKey));
        Guard.NotBlank(sharedKey, nameof(sharedKey));
        foreach (char c in apiKey)
        {
            if (c is < (char)0x21 or > (char)0x7E or '"' or '\\')
            {
                throw new ArgumentException("apiKey may hold only visible ASCII characters other than quotes and backslashes.", nameof(apiKey));
            }
        }

        _apiKey = apiKey;
        _sharedKey = Encoding.UTF8.GetBytes(sharedKey);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask SignAsync(HttpRequestMessage request, Instant now, CancellationToken cancellationToken)
    {
        Guard.NotNull(request, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();

        string date = HttpDate.Format(now);
        string authorization = Authorization(date);

        request.Headers.Remove("Date");
        request.Headers.TryAddWithoutValidation("Date", date);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return default;
    }

    /// <summary>The <c>Authorization</c> header value for a <c>Date</c> header value.</summary>
    private string Authorization(string date)
    {
#if NET
        // The signature is written on the stack and straight into the header value: one string, not two.
        Span<char> signature = stackalloc char[44];
        int written = WriteSignature(date, signature);
        ReadOnlySpan<char> base64 = signature.Slice(0, written);
        return $"algorithm=\"hmac-sha256\",headers=\"date\",signature=\"{base64}\",apikey=\"{_apiKey}\"";
#else
        byte[] signingString = Encoding.UTF8.GetBytes(SigningPrefix + date);
        using var hmac = new HMACSHA256(_sharedKey);
        return $"algorithm=\"hmac-sha256\",headers=\"date\",signature=\"{Convert.ToBase64String(hmac.ComputeHash(signingString))}\",apikey=\"{_apiKey}\"";
#endif
    }

#if NET
    /// <summary>Writes the Base64 HMAC-SHA256 of the signing string for a <c>Date</c> header value; returns its length.</summary>
    private int WriteSignature(string date, Span<char> base64)
    {
        // On the stack for any date that fits (an HTTP date always does): no array per request.
        int length = Encoding.UTF8.GetByteCount(SigningPrefix) + Encoding.UTF8.GetByteCount(date);
        Span<byte> signingString = length <= 256 ? stackalloc byte[256] : new byte[length];
        int written = Encoding.UTF8.GetBytes(SigningPrefix, signingString);
        written += Encoding.UTF8.GetBytes(date, signingString.Slice(written));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_sharedKey, signingString.Slice(0, written), hash);
        Convert.TryToBase64Chars(hash, base64, out int chars);
        return chars;
    }
#endif
}
