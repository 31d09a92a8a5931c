using System;
using System.Threading.Tasks;
using LicenseClient.Tests.Client;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using WireMock;
using static LicenseClient.Tests.Infrastructure.FloatingCalls;

namespace LicenseClient.Tests.Floating;

/// <summary>Release, feature borrow and feature release on the wire: paths, headers, bodies and answers.</summary>
public sealed class FloatingWireTests : IDisposable
{
    private const string FeatureAnswer =
        "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":8,\"device_id\":1687283003863909,\"license_id\":1673449189923780,\"company\":{\"id\":276}}";

    private readonly LicenseApiStub _api = new();

    /// <summary>Every credential a release takes, and the fields it sends: never a password.</summary>
    public static TheoryData<LicenseCredential, string> ReleaseCredentials => new()
    {
        { LicenseCredential.FromLicenseKey("AAAA-BBBB"), "\"license_key\":\"AAAA-BBBB\"" },
        { LicenseCredential.FromUser("ann@example.test", "pw-secret"), "\"username\":\"ann@example.test\"" },
        { LicenseCredential.FromUsername("ann@example.test"), "\"username\":\"ann@example.test\"" },
    };

    [Theory]
    [MemberData(nameof(ReleaseCredentials))]
    public async Task A_release_posts_the_product_device_and_license_and_succeeds_on_an_empty_unsigned_200(LicenseCredential credential, string fields)
    {
        _api.RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient();

        await client.ReleaseAsync(new ReleaseRequest(Product, HardwareId, credential));

        IRequestMessage request = _api.SingleRequest;
        Wire.AssertSignedJsonPost(request, LicenseApiStub.ReleasePath);
        Wire.AssertBody(request, $"\"product\":\"product-x\",\"hardware_id\":\"hw-1234\",{fields}");
        Assert.DoesNotContain("password", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("borrowed_until", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReleaseCredentials))]
    public async Task A_feature_release_posts_the_feature_and_succeeds_on_an_empty_unsigned_200(LicenseCredential credential, string fields)
    {
        _api.RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient();

        await client.ReleaseFeatureAsync(new FeatureReleaseRequest(Product, Feature, HardwareId, credential));

        IRequestMessage request = _api.SingleRequest;
        Wire.AssertSignedJsonPost(request, LicenseApiStub.FeatureReleasePath);
        Wire.AssertBody(request, $"\"product\":\"product-x\",\"hardware_id\":\"hw-1234\",\"feature\":\"export\",{fields}");
        Assert.DoesNotContain("password", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BorrowWireTests.Credentials), MemberType = typeof(BorrowWireTests))]
    public async Task A_feature_borrow_posts_the_borrow_body_with_the_feature_and_reads_the_signed_answer(LicenseCredential credential, string fields)
    {
        _api.RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.Answer(200, FeatureAnswer));
        using LicenseApiClient client = _api.CreateClient();

        BorrowedFeature borrowed = await client.BorrowFeatureAsync(new FeatureBorrowRequest(Product, Feature, HardwareId, credential) { BorrowedUntil = Until });

        Assert.Equal(new BorrowedFeature("export", Until, Duration.FromHours(8), 1687283003863909, 1673449189923780), borrowed);
        IRequestMessage request = _api.SingleRequest;
        Wire.AssertSignedJsonPost(request, LicenseApiStub.FeatureBorrowPath);
        Wire.AssertBody(request, $"\"product\":\"product-x\",\"hardware_id\":\"hw-1234\",\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"feature\":\"export\",{fields}");
    }

    [Fact]
    public async Task Optional_license_id_and_bundle_code_go_out_on_every_operation()
    {
        _api.RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.Answer(200, FeatureAnswer));
        using LicenseApiClient client = _api.CreateClient();
        LicenseCredential key = LicenseCredential.FromLicenseKey("K");

        await client.ReleaseAsync(new ReleaseRequest(Product, HardwareId, key) { LicenseId = 42, BundleCode = "B-1" });
        await client.BorrowFeatureAsync(new FeatureBorrowRequest(Product, Feature, HardwareId, key) { LicenseId = 42, BundleCode = "B-1" });
        await client.ReleaseFeatureAsync(new FeatureReleaseRequest(Product, Feature, HardwareId, key) { LicenseId = 42, BundleCode = "B-1" });

        Assert.Equal(3, _api.Requests.Count);
        Assert.All(_api.Requests, request => Assert.Contains("\"license_key\":\"K\",\"license_id\":42,\"bundle_code\":\"B-1\",\"sdk_ver\"", request.Body, StringComparison.Ordinal));
        Assert.Contains(_api.Requests, request => request.Body!.Contains("\"borrowed_until\":null,\"feature\":\"export\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "signature_missing")]
    [InlineData("AAAA", "signature_invalid")]
    public async Task A_feature_borrow_without_a_genuine_signature_fails_like_a_borrow(string signature, string code)
    {
        (string, string)[] headers = signature.Length == 0 ? [] : [("LicenseSignature", signature)];
        _api.RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.UnsignedAnswer(200, FeatureAnswer, "application/json", headers));
        using LicenseApiClient client = _api.CreateClient();

        ResponseSignatureException error = await Assert.ThrowsAsync<ResponseSignatureException>(() => Invoke(client, LicenseApiOperation.BorrowFeature));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(LicenseApiOperation.BorrowFeature, error.Operation);
        Assert.Equal(1, error.Attempts);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task A_feature_borrow_answer_with_one_changed_byte_is_refused()
    {
        string tampered = FeatureAnswer.Replace("\"max_borrow_time\":8", "\"max_borrow_time\":9", StringComparison.Ordinal);
        _api.RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.UnsignedAnswer(200, tampered, "application/json", ("LicenseSignature", TestKeys.Sign(FeatureAnswer))));
        using LicenseApiClient client = _api.CreateClient();

        ResponseSignatureException error = await Assert.ThrowsAsync<ResponseSignatureException>(() => Invoke(client, LicenseApiOperation.BorrowFeature));

        Assert.Equal("signature_invalid", error.ErrorCode);
    }

    [Theory]
    [InlineData("borrowed_until")]
    [InlineData("max_borrow_time")]
    [InlineData("device_id")]
    [InlineData("license_id")]
    public async Task A_feature_borrow_answer_missing_a_field_is_an_invalid_response(string field)
    {
        string body = System.Text.RegularExpressions.Regex.Replace(FeatureAnswer, $"\"{field}\":[^,]+,", "");
        _api.RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.Answer(200, body));
        using LicenseApiClient client = _api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => Invoke(client, LicenseApiOperation.BorrowFeature));

        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Equal(LicenseApiOperation.BorrowFeature, error.Operation);
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(FloatingCalls))]
    public async Task Every_operation_retries_a_503_and_signs_each_attempt_afresh(LicenseApiOperation operation)
    {
        _api.Clock.AutoAdvance = Duration.FromSeconds(1);
        bool signed = operation is LicenseApiOperation.Borrow or LicenseApiOperation.BorrowFeature;
        _api.RespondInTurnAt(
            PathOf(operation),
            LicenseApiStub.Answer(503, "", "text/plain"),
            signed ? LicenseApiStub.Answer(200, FeatureAnswer) : LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient();

        await Invoke(client, operation);

        Assert.Equal(2, _api.Requests.Count);
        Assert.NotEqual(Wire.Header(_api.Requests[0], "Date"), Wire.Header(_api.Requests[1], "Date"));
        Assert.NotEqual(Wire.Header(_api.Requests[0], "Authorization"), Wire.Header(_api.Requests[1], "Authorization"));
    }

    [Fact]
    public async Task A_release_that_finds_no_seat_is_device_not_found_so_a_retried_release_is_safe()
    {
        _api.RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.ErrorAnswer(400, "device_not_found", "An active device matching the hardware_id not found"));
        using LicenseApiClient client = _api.CreateClient();

        DeviceNotFoundException error = await Assert.ThrowsAsync<DeviceNotFoundException>(() => Invoke(client, LicenseApiOperation.Release));

        Assert.Equal(LicenseApiOperation.Release, error.Operation);
        Assert.StartsWith("Release failed: HTTP 400 (device_not_found)", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _api.Dispose();
}
