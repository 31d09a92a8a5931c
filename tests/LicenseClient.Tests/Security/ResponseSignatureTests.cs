using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Security;

/// <summary>Only answers signed with the server's key grant a borrow.</summary>
public sealed class ResponseSignatureTests : IDisposable
{
    private const string PrettyBody = """
        {
          "borrowed_until": "2030-01-02T03:04:05.000Z",
          "max_borrow_time": 12,
          "device_id": 1687283003863909,
          "license_id": 1673449189923780
        }
        """;

    private const string CompactPrettyBody =
        "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1687283003863909,\"license_id\":1673449189923780}";

    private readonly LicenseApiStub _api = new();

    public static TheoryData<string, string, string?, string> Tampered()
    {
        string genuine = TestKeys.Sign(LicenseApiStub.SuccessBody);
        using var otherKey = RSA.Create(2048);
        string byOtherKey = Convert.ToBase64String(otherKey.SignData(System.Text.Encoding.UTF8.GetBytes(LicenseApiStub.SuccessBody), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        string flipped = LicenseApiStub.SuccessBody.Replace("\"max_borrow_time\":12", "\"max_borrow_time\":92", StringComparison.Ordinal);
        return new TheoryData<string, string, string?, string>
        {
            { "one flipped byte in the body", flipped, genuine, "signature_invalid" },
            { "a signature from another key", LicenseApiStub.SuccessBody, byOtherKey, "signature_invalid" },
            { "no header", LicenseApiStub.SuccessBody, null, "signature_missing" },
            { "a header that is not Base64", LicenseApiStub.SuccessBody, "not*base64!", "signature_invalid" },
            { "an empty body", "", genuine, "signature_invalid" },
        };
    }

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task A_tampered_answer_is_refused_with_its_code_and_not_retried(string what, string body, string? signature, string code)
    {
        _api.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(LicenseApiStub.BorrowPath).UsingPost())
            .RespondWith(LicenseApiStub.UnsignedAnswer(200, body, "application/json", signature is null ? [] : [("LicenseSignature", signature)]));
        using LicenseApiClient client = _api.CreateClient();

        ResponseSignatureException error = await Assert.ThrowsAsync<ResponseSignatureException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.True(code == error.ErrorCode, what);
        Assert.Equal(200, error.Status);
        Assert.Single(_api.Requests);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_genuine_answer_signed_over_its_raw_bytes_is_accepted()
    {
        _api.RespondToBorrow(200, PrettyBody);
        using LicenseApiClient client = _api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1687283003863909, borrowed.DeviceId);
    }

    [Fact]
    public async Task A_genuine_answer_signed_over_its_compact_form_is_accepted()
    {
        _api.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(LicenseApiStub.BorrowPath).UsingPost())
            .RespondWith(LicenseApiStub.UnsignedAnswer(200, PrettyBody, "application/json", ("LicenseSignature", TestKeys.Sign(CompactPrettyBody))));
        using LicenseApiClient client = _api.CreateClient();

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1673449189923780, borrowed.LicenseId);
    }

    [Fact]
    public async Task Error_answers_are_read_without_a_signature()
    {
        _api.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(LicenseApiStub.BorrowPath).UsingPost())
            .RespondWith(LicenseApiStub.UnsignedAnswer(400, "{\"status\":400,\"code\":\"floating_not_available\",\"message\":\"No slots\"}"));
        using LicenseApiClient client = _api.CreateClient();

        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
    }

    [Fact]
    public async Task With_verification_off_an_unsigned_answer_is_used()
    {
        _api.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(LicenseApiStub.BorrowPath).UsingPost())
            .RespondWith(LicenseApiStub.UnsignedAnswer(200, LicenseApiStub.SuccessBody));
        LicenseClientOptions options = _api.Options();
        options.ServerPublicKey = null;
        options.VerifyResponseSignatures = false;
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
    }

    [Fact]
    public void Another_server_without_its_key_fails_at_construction_saying_what_to_set()
    {
        var options = new LicenseClientOptions { BaseAddress = new Uri("https://licenses.example.test/"), ApiKey = "k", SharedKey = "s" };

        string message = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message;

        Assert.Contains("set LicenseClientOptions.ServerPublicKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_production_address_needs_no_key()
    {
        using var client = new LicenseApiClient(new LicenseClientOptions { ApiKey = "k", SharedKey = "s" });

        Assert.NotNull(client);
    }

    [Fact]
    public void A_key_that_is_not_pem_fails_at_construction()
    {
        LicenseClientOptions options = _api.Options();
        options.ServerPublicKey = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----";

        string message = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message;

        Assert.Contains("LicenseClientOptions.ServerPublicKey is not an RSA public key", message, StringComparison.Ordinal);
    }

    public void Dispose() => _api.Dispose();
}
