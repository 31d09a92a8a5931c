using System;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LicenseClient.Signing;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Tests.Emulator;

/// <summary>
/// The emulator refuses what the License API refuses and answers in the API's shapes: headers as the official
/// SDKs send them, bodies that are not JSON or too large, ids above 2^31, device activation, expiry, bundles,
/// license ids, the <c>Date</c> forms, signatures the Node SDK can check, and unknown paths.
/// </summary>
public sealed class FidelityTests : IAsyncLifetime
{
    private const string KeyBody = "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}";

    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync(FidelitySeed());

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    /// <summary>The fixture's seed, plus an expired license and a bundle <c>suite</c> (of <c>app</c>) with a license of its own.</summary>
    private static EmulatorSeed FidelitySeed()
    {
        EmulatorSeed seed = EmulatorFixture.Seed();
        seed.Products.Add(new EmulatedProduct { Code = "suite", BundleProducts = [EmulatorFixture.Product] });
        seed.Licenses.Add(new EmulatedLicense
        {
            Id = 8,
            Product = EmulatorFixture.Product,
            LicenseKey = "KEY-EXPIRED",
            ValidityPeriod = Instant.FromUtc(2026, 11, 26, 11, 0),
            Features = [new EmulatedFeature { Code = "export" }],
        });
        seed.Licenses.Add(new EmulatedLicense { Id = 9, Product = "suite", LicenseKey = "KEY-SUITE" });
        return seed;
    }

    [Theory]
    [InlineData("apiKey")]
    [InlineData("APIKEY")]
    public async Task Authorization_parameter_names_are_case_insensitive_as_the_python_sdk_sends_them(string apiKeyName)
    {
        string date = HttpDate.Format(Now);
        string authorization = $"Algorithm=\"hmac-sha256\",Headers=\"date\",Signature=\"{Signature(date)}\",{apiKeyName}=\"{_fixture.Emulator.ApiKey}\"";

        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody, date, authorization);

        Assert.Equal(200, status);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("license_id").GetInt64());
    }

    [Theory]
    [InlineData("{\"product\":\"app\",")]
    [InlineData("product=app&hardware_id=hw-1")]
    public async Task A_body_that_is_not_json_is_invalid_json(string text)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(text);

        Assert.Equal((400, "invalid_json"), (status, Code(body)));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_as_too_large_not_read_as_empty()
    {
        string padded = "{\"product\":\"app\",\"padding\":\"" + new string('x', LicenseApiEmulator.MaxBodyBytes) + "\"}";

        (int status, string body, _) = await _fixture.SendRawAsync(padded);

        Assert.Equal((413, "payload_too_large"), (status, Code(body)));
    }

    [Fact]
    public async Task A_borrow_answer_carries_the_company_and_ids_above_two_to_the_31()
    {
        using LicenseApiClient client = _fixture.Client();
        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-2", LicenseCredential.FromLicenseKey("KEY-OK")));

        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody);

        Assert.True(borrowed.DeviceId > int.MaxValue, $"device id {borrowed.DeviceId}");
        Assert.Equal(200, status);
        JsonElement answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(EmulatorFixture.Seed().CompanyId, answer.GetProperty("company").GetProperty("id").GetInt64());
        Assert.True(answer.GetProperty("company").GetProperty("id").GetInt64() > int.MaxValue);
        Assert.True(answer.GetProperty("device_id").GetInt64() > int.MaxValue);
    }

    [Fact]
    public async Task By_default_only_an_activated_device_borrows_as_in_the_license_api()
    {
        var seed = new EmulatorSeed
        {
            Products = [new EmulatedProduct { Code = "app" }],
            Licenses =
            [
                new EmulatedLicense { Id = 1, Product = "app", LicenseKey = "KEY", Devices = [new EmulatedDevice { HardwareId = "activated" }] },
                new EmulatedLicense { Id = 2, Product = "app", LicenseKey = "KEY-OPEN", AutoActivate = true },
            ],
        };
        await using EmulatorFixture strict = await EmulatorFixture.StartAsync(seed, autoActivateDevices: false);
        using LicenseApiClient client = strict.Client();

        DeviceNotFoundException refused = await Assert.ThrowsAsync<DeviceNotFoundException>(
            () => client.BorrowAsync(new BorrowRequest("app", "never-activated", LicenseCredential.FromLicenseKey("KEY"))));
        BorrowedLicense activated = await client.BorrowAsync(new BorrowRequest("app", "activated", LicenseCredential.FromLicenseKey("KEY")));
        BorrowedLicense open = await client.BorrowAsync(new BorrowRequest("app", "never-activated", LicenseCredential.FromLicenseKey("KEY-OPEN")));

        Assert.Equal("device_not_found", refused.ErrorCode);
        Assert.Equal((1L, 2L), (activated.LicenseId, open.LicenseId));
        Assert.False(new EmulatorOptions().AutoActivateDevices);
    }

    [Fact]
    public async Task A_license_that_says_no_auto_activation_stays_strict_when_the_emulator_activates()
    {
        using LicenseApiClient client = _fixture.Client();

        await Assert.ThrowsAsync<DeviceNotFoundException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "never-activated", LicenseCredential.FromLicenseKey("KEY-STRICT"))));
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "never-activated", LicenseCredential.FromLicenseKey("KEY-OK")));
    }

    [Fact]
    public async Task An_expired_license_is_license_expired_for_a_borrow_and_a_feature_borrow()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-EXPIRED");

        LicenseExpiredException borrow = await Assert.ThrowsAsync<LicenseExpiredException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", key)));
        LicenseApiException feature = await Assert.ThrowsAnyAsync<LicenseApiException>(
            () => client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-1", key)));

        Assert.Equal(("license_expired", "license_expired"), (borrow.ErrorCode, feature.ErrorCode));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(8));
    }

    [Fact]
    public async Task A_known_bundle_borrows_its_own_license_and_an_unknown_one_is_unknown_product()
    {
        using LicenseApiClient client = _fixture.Client();
        var suiteKey = LicenseCredential.FromLicenseKey("KEY-SUITE");

        BorrowedLicense bundled = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", suiteKey) { BundleCode = "suite" });
        UnknownProductException unknown = await Assert.ThrowsAsync<UnknownProductException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", suiteKey) { BundleCode = "no-such-bundle" }));
        await Assert.ThrowsAsync<UnknownProductException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")) { BundleCode = EmulatorFixture.Product }));
        await Assert.ThrowsAsync<LicenseNotFoundException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", suiteKey)));

        Assert.Equal(9, bundled.LicenseId);
        Assert.Equal("unknown_product", unknown.ErrorCode);
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(9));
    }

    [Theory]
    [InlineData("999", "license_not_found")]
    [InlineData("\"999\"", "license_not_found")]
    [InlineData("\"one\"", "license_not_found")]
    [InlineData("1.5", "license_not_found")]
    [InlineData("\"1\"", null)]
    [InlineData("1", null)]
    public async Task A_license_id_that_does_not_match_is_license_not_found(string licenseId, string? code)
    {
        string json = KeyBody.TrimEnd('}') + ",\"license_id\":" + licenseId + "}";

        (int status, string body, _) = await _fixture.SendRawAsync(json);

        Assert.Equal(code is null ? (200, null) : (400, code), (status, code is null ? null : Code(body)));
    }

    [Theory]
    [InlineData("ddd, dd MMM yyyy HH':'mm':'ss 'GMT'")]
    [InlineData("dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'")]
    [InlineData("ddd MMM d HH':'mm':'ss yyyy")]
    public async Task Each_date_form_rfc_7231_names_is_accepted(string format)
    {
        // The asctime form pads a one-digit day with a space; the 6th gives one.
        _fixture.Clock.Reset(Instant.FromUtc(2026, 12, 6, 8, 49, 37));
        string date = Now.ToDateTimeUtc().ToString(format, CultureInfo.InvariantCulture).Replace("Dec 6", "Dec  6", StringComparison.Ordinal);

        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody, date, Authorization(date));

        Assert.True(status == 200, $"{date}: {body}");
    }

    [Theory]
    [InlineData("2026-11-26T12:00:00+01:00")]
    [InlineData("Thu, 26 Nov 2026 12:00:00 EST")]
    [InlineData("Thu, 26 Nov 2026 12:00:00 +0000")]
    public async Task A_date_in_another_form_or_zone_is_refused(string date)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody, date, Authorization(date));

        Assert.Equal((400, "authorization_invalid_headers"), (status, Code(body)));
    }

    [Theory]
    [InlineData(-14, 200)]
    [InlineData(14, 200)]
    [InlineData(-16, 400)]
    [InlineData(16, 400)]
    public async Task A_date_more_than_15_minutes_old_or_ahead_is_date_header_diff(int minutes, int expected)
    {
        string date = HttpDate.Format(Now + Duration.FromMinutes(minutes));

        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody, date, Authorization(date));

        Assert.Equal(expected, status);
        Assert.True(expected == 200 || Code(body) == "date_header_diff", body);
    }

    [Fact]
    public async Task A_signed_body_with_any_text_is_byte_for_byte_what_json_stringify_writes()
    {
        const string feature = "Zürich+<'\"\\ 😀\u0001\u2028é";
        string json = "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\",\"feature\":"
            + JsonSerializer.Serialize(feature) + "}";

        (int status, string body, HttpResponseMessage response) = await _fixture.SendRawAsync(json, path: LicenseApiEmulator.FeatureBorrowPath);

        // What node prints for JSON.stringify(JSON.parse(body)): only ", \ and control characters are escaped (\u0001 in lower case).
        string stringified = "{\"status\":400,\"code\":\"invalid_license_feature_code\",\"message\":\"License feature code: 'Zürich+<'\\\"\\\\ 😀\\u0001\u2028é' is invalid or not assigned to the license.\"}";
        Assert.Equal(400, status);
        Assert.Equal(stringified, body);
        byte[] raw = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetBytes(stringified), raw);
        Assert.True(_fixture.IsSignedByEmulator(response, stringified));
    }

    [Theory]
    [InlineData("/api/v4/floating/nothing")]
    [InlineData("/api/v4/license/unknown")]
    [InlineData("/")]
    public async Task An_unknown_path_is_not_found(string path)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(KeyBody, path: path);

        Assert.Equal((404, "not_found"), (status, Code(body)));
        Assert.Equal("Requested API path doesn't exist", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void A_seed_file_reads_bundles_validity_company_and_auto_activation()
    {
        EmulatorSeed seed = EmulatorSeed.Parse("""
            {
              "products": [ { "code": "app" }, { "code": "suite", "bundle_products": [ "app" ] } ],
              "licenses": [
                { "id": 1, "product": "suite", "license_key": "K", "validity_period": "2030-01-02T03:04:05Z", "auto_activate": false },
                { "id": 2, "product": "app", "license_key": "L" }
              ],
              "company_id": 1687283003863909
            }
            """);

        Assert.Equal(["app"], seed.Products[1].BundleProducts);
        Assert.Empty(seed.Products[0].BundleProducts);
        Assert.Equal((Instant?)Instant.FromUtc(2030, 1, 2, 3, 4, 5), seed.Licenses[0].ValidityPeriod);
        Assert.Equal(((bool?)false, (bool?)null), (seed.Licenses[0].AutoActivate, seed.Licenses[1].AutoActivate));
        Assert.Null(seed.Licenses[1].ValidityPeriod);
        Assert.Equal(1687283003863909, seed.CompanyId);
    }

    private static string? Code(string body) => JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();

    /// <summary>The HMAC signature of <paramref name="date"/> with the emulator's shared key, as the API signs it.</summary>
    private string Signature(string date)
        => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_fixture.Emulator.SharedKey), Encoding.UTF8.GetBytes("licenseSpring\ndate: " + date)));

    private string Authorization(string date)
        => $"algorithm=\"hmac-sha256\",headers=\"date\",signature=\"{Signature(date)}\",apikey=\"{_fixture.Emulator.ApiKey}\"";
}
