using System;
using System.Security.Cryptography;
using System.Text;
using LicenseClient.Http;
using LicenseClient.Security;

namespace LicenseClient.Tests.Security;

/// <summary>
/// The key reading and signature check on their own. Also compiled against the netstandard2.0 build,
/// whose PEM and DER reading is the library's own.
/// </summary>
public sealed class ResponseSignatureVerifierTests : IDisposable
{
    private const string Body = "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}";

    private readonly RSA _key = RSA.Create(2048);

    [Fact]
    public void The_embedded_production_key_is_the_license_apis()
    {
        (string label, byte[] der) = PublicKeyPem.Decode(ProductionKey.Pem);

        Assert.Equal("PUBLIC KEY", label);
        Assert.Equal("624d162a484dcb3e5f12258759a1f43c49eaf1b47de680f6ccc4c6afd0a273b4", Convert.ToHexString(SHA256.HashData(der)).ToLowerInvariant());
        Assert.Equal(512, PublicKeyPem.Parse(ProductionKey.Pem).Modulus!.Length);
    }

    [Fact]
    public void Both_pem_forms_read_to_the_same_key()
    {
        RSAParameters expected = _key.ExportParameters(includePrivateParameters: false);

        RSAParameters spki = PublicKeyPem.Parse(_key.ExportSubjectPublicKeyInfoPem());
        RSAParameters pkcs1 = PublicKeyPem.Parse(_key.ExportRSAPublicKeyPem());

        Assert.Equal(expected.Modulus, spki.Modulus);
        Assert.Equal(expected.Exponent, spki.Exponent);
        Assert.Equal(expected.Modulus, pkcs1.Modulus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----")]
    public void Text_that_is_not_a_public_key_is_a_format_exception(string pem)
        => Assert.Throws<FormatException>(() => PublicKeyPem.Parse(pem));

    [Fact]
    public void A_genuine_signature_verifies_and_a_changed_body_does_not()
    {
        var verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(_key.ExportSubjectPublicKeyInfoPem()));
        string signature = Sign(Body);

        verifier.Verify(Answer(Body, signature));
        ResponseSignatureException error = Assert.Throws<ResponseSignatureException>(() => verifier.Verify(Answer(Body.Replace("12", "13", StringComparison.Ordinal), signature)));

        Assert.Equal("signature_invalid", error.ErrorCode);
    }

    [Fact]
    public void A_missing_signature_is_signature_missing()
    {
        var verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(_key.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal("signature_missing", Assert.Throws<ResponseSignatureException>(() => verifier.Verify(Answer(Body, null))).ErrorCode);
    }

    [Fact]
    public void A_byte_order_mark_a_proxy_put_before_a_genuine_body_is_tolerated()
    {
        var verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(_key.ExportSubjectPublicKeyInfoPem()));
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Body)];

        verifier.Verify(new LicenseAnswer(200, "application/json", body, signature: Sign(Body)));
    }

    [Fact]
    public void Json_that_cannot_be_written_back_is_still_a_typed_signature_error()
    {
        var verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(_key.ExportSubjectPublicKeyInfoPem()));

        ResponseSignatureException error = Assert.Throws<ResponseSignatureException>(() => verifier.Verify(Answer("{\"a\":\"\\ud800\"}", Sign(Body))));

        Assert.Equal("signature_invalid", error.ErrorCode);
    }

    public void Dispose() => _key.Dispose();

    private static LicenseAnswer Answer(string body, string? signature)
        => new(200, "application/json", Encoding.UTF8.GetBytes(body), signature: signature);

    private string Sign(string body)
        => Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}
