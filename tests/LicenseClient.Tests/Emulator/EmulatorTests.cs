using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Emulator;

/// <summary>The client against the emulator, end to end: every error code from a real condition, and seat accounting.</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    public static TheoryData<string, string, string> BusinessErrors => new()
    {
        { "unknown_product", "KEY-OK", "hw-1" },
        { "license_not_found", "KEY-NOPE", "hw-1" },
        { "license_not_active", "KEY-INACTIVE", "hw-1" },
        { "license_not_enabled", "KEY-DISABLED", "hw-1" },
        { "license_borrow_not_allowed", "KEY-NO-BORROW", "hw-1" },
        { "device_not_found", "KEY-STRICT", "never-activated" },
        { "device_not_found", "KEY-STRICT", "deactivated" },
        { "blacklisted", "KEY-OK", "stolen" },
    };

    [Theory]
    [MemberData(nameof(BusinessErrors))]
    public async Task Each_business_error_comes_from_its_condition(string code, string licenseKey, string hardwareId)
    {
        using LicenseApiClient client = _fixture.Client();
        string product = code == "unknown_product" ? "no-such-product" : EmulatorFixture.Product;

        BorrowException error = await Assert.ThrowsAnyAsync<BorrowException>(
            () => client.BorrowAsync(new BorrowRequest(product, hardwareId, LicenseCredential.FromLicenseKey(licenseKey))));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(400, error.Status);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_known_device_of_a_strict_license_borrows()
    {
        using LicenseApiClient client = _fixture.Client();

        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "known", LicenseCredential.FromLicenseKey("KEY-STRICT")));

        Assert.Equal(5, borrowed.LicenseId);
    }

    [Fact]
    public async Task A_wrong_password_is_license_not_found()
    {
        using LicenseApiClient client = _fixture.Client();

        await Assert.ThrowsAsync<LicenseNotFoundException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromUser("ada@example.com", "wrong"))));
    }

    [Fact]
    public async Task Borrowed_until_beyond_the_maximum_or_in_the_past_is_not_valid()
    {
        using LicenseApiClient client = _fixture.Client();
        var credential = LicenseCredential.FromLicenseKey("KEY-OK");

        await Assert.ThrowsAsync<BorrowUntilNotValidException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", credential) { BorrowedUntil = Now + Duration.FromHours(25) }));
        await Assert.ThrowsAsync<BorrowUntilNotValidException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", credential) { BorrowedUntil = Now - Duration.FromMinutes(1) }));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task Every_credential_kind_borrows_and_null_means_the_maximum_borrow_time()
    {
        using LicenseApiClient client = _fixture.Client();

        BorrowedLicense byKey = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-key", LicenseCredential.FromLicenseKey("KEY-OK")));
        BorrowedLicense byUser = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-user", LicenseCredential.FromUser("ada@example.com", "pw-ada")));
        BorrowedLicense byToken = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-user", LicenseCredential.FromIdToken("token-ada", "acme")));
        BorrowedLicense byCode = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-user", LicenseCredential.FromAuthorizationCode("code-ada", "acme")));

        Assert.Equal((1L, Now + Duration.FromHours(24), Duration.FromHours(24)), (byKey.LicenseId, byKey.BorrowedUntil, byKey.MaxBorrowTime));
        Assert.Equal((6L, Now + Duration.FromHours(12)), (byUser.LicenseId, byUser.BorrowedUntil));
        Assert.Equal(6, byToken.LicenseId);
        Assert.Equal(byUser.DeviceId, byCode.DeviceId);
    }

    [Fact]
    public async Task An_unknown_id_token_is_license_not_found()
    {
        using LicenseApiClient client = _fixture.Client();

        await Assert.ThrowsAsync<LicenseNotFoundException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromIdToken("token-unknown", "acme"))));
    }

    [Fact]
    public async Task Seats_run_out_and_come_back_when_borrows_expire()
    {
        using LicenseApiClient client = _fixture.Client();
        var credential = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", credential) { BorrowedUntil = Now + Duration.FromHours(1) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", credential)));
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(7));

        _fixture.Clock.Advance(Duration.FromHours(1) + Duration.FromSeconds(1));
        BorrowedLicense second = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", credential));

        Assert.Equal(7, second.LicenseId);
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task The_same_device_borrowing_again_extends_its_borrow_and_takes_no_second_seat()
    {
        using LicenseApiClient client = _fixture.Client();
        var credential = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");

        BorrowedLicense first = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", credential) { BorrowedUntil = Now + Duration.FromHours(1) });
        BorrowedLicense again = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", credential) { BorrowedUntil = Now + Duration.FromHours(5) });

        Assert.Equal(Now + Duration.FromHours(5), again.BorrowedUntil);
        Assert.Equal(first.DeviceId, again.DeviceId);
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task A_released_seat_is_free_again()
    {
        using LicenseApiClient client = _fixture.Client();
        var credential = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", credential));

        (int status, string body, _) = await _fixture.SendRawAsync(
            "{\"product\":\"app\",\"hardware_id\":\"hw-a\",\"license_key\":\"KEY-ONE-SEAT\"}", path: LicenseApiEmulator.ReleasePath);

        Assert.Equal((200, ""), (status, body));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(7));
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", credential));
    }

    [Theory]
    [InlineData("2026-11-26T13:30:48.016Z", "2026-11-26T13:30:48.016Z")]
    [InlineData("2026-11-26T14:30:48.016+01:00", "2026-11-26T13:30:48.016Z")]
    [InlineData("2026-11-26 13:30:48.016", "2026-11-26T13:30:48.016Z")]
    [InlineData("2026-11-26 13:30", "2026-11-26T13:30:00.000Z")]
    [InlineData("2026-11-27", "2026-11-27T00:00:00.000Z")]
    public async Task Every_documented_borrowed_until_form_is_read_as_utc(string sent, string expected)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(
            $"{{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":\"{sent}\",\"license_key\":\"KEY-OK\"}}");

        Assert.Equal(200, status);
        Assert.Equal(expected, JsonDocument.Parse(body).RootElement.GetProperty("borrowed_until").GetString());
    }

    [Theory]
    [InlineData("{\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", "product")]
    [InlineData("{\"product\":\"app\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", "hardware_id")]
    [InlineData("{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"license_key\":\"KEY-OK\"}", "borrowed_until")]
    [InlineData("{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null}", "license_key")]
    [InlineData("{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"username\":\"ada@example.com\"}", "password")]
    [InlineData("{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"id_token\":\"token-ada\"}", "customer_account_code")]
    public async Task Missing_parameters_are_listed(string json, string parameter)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(json);

        Assert.Equal(400, status);
        var error = new MissingParametersException(status, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        Assert.Equal([parameter], error.Parameters);
    }

    [Theory]
    [InlineData("", null, "missing_headers")]
    [InlineData("Thu, 26 Nov 2026 11:44:59 GMT", null, "date_header_diff")]
    [InlineData("Thu, 26 Nov 2026 12:15:01 GMT", null, "date_header_diff")]
    [InlineData(null, "", "missing_headers")]
    [InlineData(null, "Signature abc", "authorization_invalid_headers")]
    [InlineData(null, "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"abc=\"", "authorization_missing_params")]
    [InlineData(null, "algorithm=\"hmac-sha1\",headers=\"date\",signature=\"abc=\",apikey=\"emulator-api-key\"", "hmac_required")]
    [InlineData(null, "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"abc=\",apikey=\"another-key\"", "invalid_api_key")]
    [InlineData(null, "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",apikey=\"emulator-api-key\"", "signature_mismatch")]
    public async Task Hand_made_requests_with_bad_headers_are_refused(string? date, string? authorization, string code)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(
            "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", date, authorization);

        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.Equal(code == "signature_mismatch" ? 401 : 400, status);
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(1));
    }

    [Fact]
    public async Task A_date_fourteen_minutes_off_is_accepted()
    {
        (int status, _, _) = await _fixture.SendRawAsync(
            "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", "Thu, 26 Nov 2026 11:46:00 GMT");

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_wrong_shared_key_is_a_signature_mismatch_for_the_client()
    {
        LicenseClientOptions options = _fixture.Options();
        options.SharedKey = "not-the-shared-key";
        using var client = new LicenseApiClient(options);

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"))));

        Assert.Equal(("signature_mismatch", 401), (error.ErrorCode, error.Status));
    }

    [Fact]
    public async Task Answers_are_dated_by_the_emulators_clock_and_signed_with_its_key()
    {
        (int status, string body, var response) = await _fixture.SendRawAsync(
            "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}");

        Assert.Equal(200, status);
        Assert.Equal(Now.ToDateTimeOffset(), response.Headers.Date);
        Assert.Single(response.Headers.GetValues("LicenseSignature"));
        Assert.True(_fixture.IsSignedByEmulator(response, body));
        Assert.False(_fixture.IsSignedByEmulator(response, body + " "));
    }

    [Fact]
    public async Task Failed_and_dropped_answers_are_retried_by_the_client()
    {
        _fixture.Emulator.Faults.FailNext(2, 503).DropNext(1);
        using LicenseApiClient client = _fixture.Client();

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));

        Assert.Equal(4, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_failure_with_retry_after_and_no_retries_left_reports_it()
    {
        _fixture.Emulator.Faults.FailNext(1, 429, TimeSpan.FromMinutes(5));
        using LicenseApiClient client = _fixture.Client();

        RateLimitedException error = await Assert.ThrowsAsync<RateLimitedException>(
            () => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"))));

        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
    }

    [Fact]
    public async Task A_slow_answer_is_cut_by_the_attempt_timeout_and_retried()
    {
        _fixture.Emulator.Faults.DelayNext(1, TimeSpan.FromSeconds(30));
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = _fixture.Options();
        options.AttemptTimeout = TimeSpan.FromSeconds(1);
        options.TimeProvider = time;
        using var client = new LicenseApiClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));
        await Eventually.TrueAsync(() => _fixture.Emulator.RequestCount == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await borrow;

        Assert.Equal(2, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_server_clock_three_hours_ahead_is_learned_by_the_client()
    {
        _fixture.Emulator.Faults.SkewClock(Duration.FromHours(3));
        using LicenseApiClient client = _fixture.Client();
        var request = new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"));

        BorrowedLicense borrowed = await client.BorrowAsync(request);
        await client.BorrowAsync(request);

        Assert.Equal(Now + Duration.FromHours(3) + Duration.FromHours(24), borrowed.BorrowedUntil);
        Assert.Equal(3, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_proxy_failure_dated_two_years_ahead_does_not_spoil_the_next_borrow()
    {
        LicenseClientOptions options = _fixture.Options();
        options.Retry.MaxRetries = 0;
        using var client = new LicenseApiClient(options);
        var request = new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"));

        _fixture.Emulator.Faults.SkewClock(Duration.FromDays(730)).FailNext(1, 503);
        LicenseApiException failure = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(request));
        _fixture.Emulator.Faults.Reset();
        BorrowedLicense borrowed = await client.BorrowAsync(request);

        Assert.Equal("service_unavailable", failure.ErrorCode);
        Assert.Equal(Now + Duration.FromHours(24), borrowed.BorrowedUntil);
        Assert.Equal(2, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public void A_seed_file_reads_into_the_same_model()
    {
        EmulatorSeed seed = EmulatorSeed.Parse("""
            {
              "products": [ { "code": "demo" } ],
              "licenses": [
                { "id": 1001, "product": "demo", "license_key": "DEMO-KEY", "max_borrow_time": 72, "floating_users": 2, "can_borrow": false },
                { "id": 1002, "product": "demo", "users": [ { "username": "ada@example.com", "password": "secret" } ],
                  "devices": [ { "hardware_id": "old", "active": false } ], "auto_activate": false }
              ],
              "blacklisted_hardware_ids": [ "stolen-laptop" ],
              "customer_accounts": [ { "code": "acme", "id_tokens": { "token-1": "ada@example.com" } } ]
            }
            """);

        Assert.Equal("demo", Assert.Single(seed.Products).Code);
        Assert.Equal((1001L, "DEMO-KEY", Duration.FromHours(72), 2, false), (seed.Licenses[0].Id, seed.Licenses[0].LicenseKey, seed.Licenses[0].MaxBorrowTime, seed.Licenses[0].FloatingUsers, seed.Licenses[0].CanBorrow));
        Assert.Equal(("ada@example.com", "secret"), (seed.Licenses[1].Users[0].Username, seed.Licenses[1].Users[0].Password));
        Assert.False(seed.Licenses[1].Devices.Single().Active);
        Assert.False(seed.Licenses[1].AutoActivate);
        Assert.True(seed.Licenses[1].Active && seed.Licenses[1].Enabled && seed.Licenses[1].CanBorrow);
        Assert.Equal(Duration.FromHours(24), seed.Licenses[1].MaxBorrowTime);
        Assert.Equal(["stolen-laptop"], seed.BlacklistedHardwareIds);
        Assert.Equal("ada@example.com", seed.CustomerAccounts[0].IdTokens["token-1"]);
    }

    [Fact]
    public void A_bad_seed_file_is_a_format_exception()
        => Assert.Throws<FormatException>(() => EmulatorSeed.Parse("{ \"licenses\": [ { \"id\": \"one\" } ] }"));
}
