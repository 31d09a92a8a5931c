using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseClient.Http;

namespace LicenseClient.Security;

/// <summary>
/// Checks an answer's <c>LicenseSignature</c> header: RSA-SHA256, PKCS#1 v1.5, Base64, over the raw body
/// bytes; failing that, over the compact re-serialization of the parsed body (what the official Node SDK
/// checks), so every answer the official SDKs accept is accepted.
/// </summary>
/// <remarks>
/// The key is imported into an <see cref="RSA"/> object once, not per answer (an import costs several times a
/// verification). .NET does not promise that one <see cref="RSA"/> object verifies on many threads at once (the
/// .NET Framework's <c>RSACryptoServiceProvider</c>, which netstandard2.0 may run on, keeps state per object), so
/// each verification takes an object of its own from a pool: it holds as many as verifications ever ran at the same
/// time, each imported once. Safe to use from many threads.
/// </remarks>
internal sealed class ResponseSignatureVerifier : IDisposable
{
    /// <summary>The header that carries the signature.</summary>
    public const string HeaderName = "LicenseSignature";

#if NET
    /// <summary>The longest signature decoded on the stack: a 4096-bit key's.</summary>
    private const int MaxStackSignatureBytes = 512;
#endif

    private static readonly JsonWriterOptions CompactJson = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RSAParameters _key;

    /// <summary>Imported keys no verification is using.</summary>
    private readonly ConcurrentQueue<RSA> _idle = new();
    private int _disposed;

    /// <summary>Imports <paramref name="key"/> once now, so a bad key fails here and the first answer finds it ready.</summary>
    public ResponseSignatureVerifier(RSAParameters key)
    {
        _key = key;
        _idle.Enqueue(Import(key));
    }

    /// <summary>Returns when the answer's signature is genuine; throws otherwise.</summary>
    /// <exception cref="ResponseSignatureException">The signature is missing or does not match.</exception>
    public void Verify(LicenseAnswer answer)
    {
        if (string.IsNullOrWhiteSpace(answer.Signature))
        {
            throw new ResponseSignatureException(
                answer.Status,
                LicenseErrorCodes.SignatureMissing,
                $"The answer (HTTP {answer.Status}) has no {HeaderName} header, so it cannot be shown to come from the License API.");
        }

#if NET
        // A signature as long as a 4096-bit key's, or shorter, is decoded on the stack: no array per answer.
        Span<byte> decoded = stackalloc byte[MaxStackSignatureBytes];
        ReadOnlySpan<byte> signature = Convert.TryFromBase64Chars(answer.Signature.AsSpan().Trim(), decoded, out int written)
            ? decoded.Slice(0, written)
            : Decode(answer);
#else
        byte[] signature = Decode(answer);
#endif
        RSA rsa = _idle.TryDequeue(out RSA? idle) ? idle : Import(_key);
        try
        {
            if (Verifies(rsa, answer, signature))
            {
                return;
            }
        }
        finally
        {
            Return(rsa);
        }

        throw Invalid(answer, "does not match the body", null);
    }

    /// <summary>The signature's bytes.</summary>
    /// <exception cref="ResponseSignatureException">The signature is not Base64.</exception>
    private static byte[] Decode(LicenseAnswer answer)
    {
        try
        {
            return Convert.FromBase64String(answer.Signature!.Trim());
        }
        catch (FormatException ex)
        {
            throw Invalid(answer, "is not Base64", ex);
        }
    }

    /// <summary>Disposes the imported keys; a verification still running disposes its own when it ends.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryDequeue(out RSA? rsa))
        {
            rsa.Dispose();
        }
    }

    /// <summary>The raw body first; then without a byte-order mark; then re-serialized compactly.</summary>
#if NET
    private static bool Verifies(RSA rsa, LicenseAnswer answer, ReadOnlySpan<byte> signature)
    {
        // A proxy may put a byte-order mark before the body; the reader skips it, so the check may too.
        ReadOnlySpan<byte> json = AnswerReader.Json(answer);
        return Verifies(rsa, answer.Body, signature)
            || (json.Length != answer.Body.Length && Verifies(rsa, json, signature))
            || (Compact(json.ToArray()) is byte[] compact && Verifies(rsa, compact, signature));
    }

    private static bool Verifies(RSA rsa, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
#else
    private static bool Verifies(RSA rsa, LicenseAnswer answer, byte[] signature)
    {
        // A proxy may put a byte-order mark before the body; the reader skips it, so the check may too.
        ReadOnlySpan<byte> json = AnswerReader.Json(answer);
        byte[] body = json.Length == answer.Body.Length ? answer.Body : json.ToArray();
        return Verifies(rsa, answer.Body, signature)
            || (body.Length != answer.Body.Length && Verifies(rsa, body, signature))
            || (Compact(body) is byte[] compact && Verifies(rsa, compact, signature));
    }

    private static bool Verifies(RSA rsa, byte[] data, byte[] signature)
    {
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
#endif

    private static RSA Import(RSAParameters key)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(key);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private void Return(RSA rsa)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            rsa.Dispose();
            return;
        }

        _idle.Enqueue(rsa);
        if (Volatile.Read(ref _disposed) != 0 && _idle.TryDequeue(out RSA? late))
        {
            // Disposed while this one went back: take one out again so none outlives the verifier.
            late.Dispose();
        }
    }

    /// <summary>The body as compact JSON, or <see langword="null"/> when it is not JSON.</summary>
    private static byte[]? Compact(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, CompactJson))
            {
                document.RootElement.WriteTo(writer);
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or JSON that cannot be written back (a lone surrogate, say): no second form to check.
            return null;
        }
    }

    private static ResponseSignatureException Invalid(LicenseAnswer answer, string what, Exception? cause)
        => new(
            answer.Status,
            LicenseErrorCodes.SignatureInvalid,
            $"The answer's (HTTP {answer.Status}) {HeaderName} header {what}: the answer did not come from the License API, or was changed on the way.",
            cause);
}
