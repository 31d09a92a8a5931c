using System;
using System.IO;
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
internal sealed class ResponseSignatureVerifier
{
    /// <summary>The header that carries the signature.</summary>
    public const string HeaderName = "LicenseSignature";

    private static readonly JsonWriterOptions CompactJson = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RSAParameters _key;

    public ResponseSignatureVerifier(RSAParameters key) => _key = key;

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

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(answer.Signature!.Trim());
        }
        catch (FormatException ex)
        {
            throw Invalid(answer, "is not Base64", ex);
        }

        using RSA rsa = RSA.Create();
        rsa.ImportParameters(_key);
        // A proxy may put a byte-order mark before the body; the reader skips it, so the check may too.
        ReadOnlySpan<byte> json = AnswerReader.Json(answer);
        byte[] body = json.Length == answer.Body.Length ? answer.Body : json.ToArray();
        if (Verifies(rsa, answer.Body, signature)
            || (body.Length != answer.Body.Length && Verifies(rsa, body, signature))
            || (Compact(body) is byte[] compact && Verifies(rsa, compact, signature)))
        {
            return;
        }

        throw Invalid(answer, "does not match the body", null);
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
