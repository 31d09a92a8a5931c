using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LicenseClient.Testing;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using NodaTime.Text;

namespace LicenseClient.Tests.Emulator;

/// <summary>
/// The emulator's floating features, through hand-made signed requests (the client has no feature methods yet):
/// every credential kind, seat accounting apart from the license's seats, the feature's maximum borrow time, and
/// each feature error from its condition.
/// </summary>
public sealed class FeatureEmulatorTests : IAsyncLifetime
{
    private const string ByKey = "\"license_key\":\"KEY-OK\"";
    private const string ByUser = "\"username\":\"ada@example.com\",\"password\":\"pw-ada\"";
    private const string ByIdToken = "\"id_token\":\"token-ada\",\"customer_account_code\":\"acme\"";
    private const string ByCode = "\"code\":\"code-ada\",\"customer_account_code\":\"acme\"";

    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData(ByKey, "{\"borrowed_until\":\"2026-11-26T20:00:00.000Z\",\"max_borrow_time\":8,\"device_id\":1687283003863911,\"license_id\":1,\"company\":{\"id\":1700000000000001}}")]
    [InlineData(ByUser, "{\"borrowed_until\":\"2026-11-26T18:00:00.000Z\",\"max_borrow_time\":6,\"device_id\":1687283003863911,\"license_id\":6,\"company\":{\"id\":1700000000000001}}")]
    [InlineData(ByIdToken, "{\"borrowed_until\":\"2026-11-26T18:00:00.000Z\",\"max_borrow_time\":6,\"device_id\":1687283003863911,\"license_id\":6,\"company\":{\"id\":1700000000000001}}")]
    [InlineData(ByCode, "{\"borrowed_until\":\"2026-11-26T18:00:00.000Z\",\"max_borrow_time\":6,\"device_id\":1687283003863911,\"license_id\":6,\"company\":{\"id\":1700000000000001}}")]
    public async Task Every_credential_kind_borrows_a_feature_seat_until_the_features_maximum_with_a_signed_answer(string credential, string expected)
    {
        (int status, string body, HttpResponseMessage response) = await BorrowAsync(BorrowBody("hw-1", credential: credential));

        Assert.Equal((200, expected), (status, body));
        Assert.True(_fixture.IsSignedByEmulator(response, body));
        long licenseId = JsonDocument.Parse(body).RootElement.GetProperty("license_id").GetInt64();
        Assert.Equal(1, _fixture.Emulator.FeatureSeatsInUse(licenseId, "export"));
        Assert.Equal(0, _fixture.Emulator.SeatsInUse(licenseId));
    }

    [Fact]
    public async Task A_feature_seat_carries_the_device_id_a_license_borrow_gives_the_same_hardware_id()
    {
        using LicenseApiClient client = _fixture.Client();
        BorrowedLicense other = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-other", LicenseCredential.FromLicenseKey("KEY-OK")));
        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));

        (int status, string body, _) = await BorrowAsync(BorrowBody("hw-1"));

        Assert.Equal(200, status);
        Assert.NotEqual(other.DeviceId, borrowed.DeviceId);
        Assert.Equal(borrowed.DeviceId, JsonDocument.Parse(body).RootElement.GetProperty("device_id").GetInt64());
    }

    [Fact]
    public async Task The_only_feature_seat_is_refused_to_a_second_device_and_extended_for_the_first()
    {
        (int first, _, _) = await BorrowAsync(BorrowBody("hw-a", until: At(Duration.FromHours(1))));
        (int refused, string refusal, _) = await BorrowAsync(BorrowBody("hw-b"));
        (int again, string extended, _) = await BorrowAsync(BorrowBody("hw-a", until: At(Duration.FromHours(5))));

        Assert.Equal((200, 400, 200), (first, refused, again));
        Assert.Equal(("floating_not_available", "No available slots for floating license"), Error(refusal));
        Assert.Equal("2026-11-26T17:00:00.000Z", JsonDocument.Parse(extended).RootElement.GetProperty("borrowed_until").GetString());
        Assert.Equal(1, _fixture.Emulator.FeatureSeatsInUse(1, "export"));

        _fixture.Clock.Advance(Duration.FromHours(2));
        (int stillRefused, string stillRefusal, _) = await BorrowAsync(BorrowBody("hw-b"));
        Assert.Equal((400, "floating_not_available"), (stillRefused, Error(stillRefusal).Code));
    }

    [Fact]
    public async Task A_released_feature_seat_is_free_for_another_device()
    {
        await BorrowAsync(BorrowBody("hw-a"));

        (int status, string body, HttpResponseMessage response) = await ReleaseAsync(ReleaseBody("hw-a"));

        Assert.Equal((200, ""), (status, body));
        Assert.False(response.Headers.Contains("LicenseSignature"));
        Assert.Equal(0, _fixture.Emulator.FeatureSeatsInUse(1, "export"));
        (int borrowed, _, _) = await BorrowAsync(BorrowBody("hw-b"));
        Assert.Equal(200, borrowed);
        Assert.Equal(1, _fixture.Emulator.FeatureSeatsInUse(1, "export"));
    }

    [Fact]
    public async Task An_expired_feature_seat_is_free_for_another_device()
    {
        await BorrowAsync(BorrowBody("hw-a", until: At(Duration.FromHours(1))));
        _fixture.Clock.Advance(Duration.FromHours(1) - Duration.FromSeconds(1));
        Assert.Equal(1, _fixture.Emulator.FeatureSeatsInUse(1, "export"));

        _fixture.Clock.Advance(Duration.FromSeconds(1));
        Assert.Equal(0, _fixture.Emulator.FeatureSeatsInUse(1, "export"));
        (int status, _, _) = await BorrowAsync(BorrowBody("hw-b"));

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Feature_seats_are_counted_apart_from_license_seats_and_from_other_licenses()
    {
        using LicenseApiClient client = _fixture.Client();
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", LicenseCredential.FromLicenseKey("KEY-OK")));
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", LicenseCredential.FromLicenseKey("KEY-OK")));

        (int byKey, _, _) = await BorrowAsync(BorrowBody("hw-c"));
        (int byUser, _, _) = await BorrowAsync(BorrowBody("hw-d", credential: ByUser));

        Assert.Equal((200, 200), (byKey, byUser));
        Assert.Equal((2, 1, 1), (_fixture.Emulator.SeatsInUse(1), _fixture.Emulator.FeatureSeatsInUse(1, "export"), _fixture.Emulator.FeatureSeatsInUse(6, "export")));
        Assert.Equal(0, _fixture.Emulator.FeatureSeatsInUse(1, "reports"));
        Assert.Throws<ArgumentNullException>(() => _fixture.Emulator.FeatureSeatsInUse(1, null!));
    }

    [Fact]
    public async Task A_feature_borrow_does_not_ask_whether_the_license_allows_borrowing()
    {
        (int status, string body, _) = await BorrowAsync(BorrowBody("hw-1", credential: "\"license_key\":\"KEY-NO-BORROW\""));

        Assert.Equal(200, status);
        Assert.Equal(4, JsonDocument.Parse(body).RootElement.GetProperty("license_id").GetInt64());
    }

    [Theory]
    [InlineData(8 * 60, 200)]
    [InlineData((8 * 60) + 1, 400)]
    [InlineData(24 * 60, 400)]
    [InlineData(-1, 400)]
    public async Task Borrowed_until_is_bounded_by_the_features_maximum_borrow_time(int minutesFromNow, int expected)
    {
        (int status, string body, _) = await BorrowAsync(BorrowBody("hw-1", until: At(Duration.FromMinutes(minutesFromNow))));

        Assert.Equal(expected, status);
        Assert.Equal(expected == 200 ? 1 : 0, _fixture.Emulator.FeatureSeatsInUse(1, "export"));
        if (expected == 400)
        {
            Assert.Equal(("borrow_until_not_valid", "Borrow until field is not valid"), Error(body));
        }
    }

    [Fact]
    public async Task An_unreadable_borrowed_until_is_not_valid()
    {
        (int status, string body, _) = await BorrowAsync(BorrowBody("hw-1", until: "\"tomorrow\""));

        Assert.Equal((400, "borrow_until_not_valid"), (status, Error(body).Code));
    }

    [Theory]
    [InlineData(LicenseApiEmulator.FeatureBorrowPath, "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", "feature")]
    [InlineData(LicenseApiEmulator.FeatureBorrowPath, "{\"hardware_id\":\"hw-1\",\"borrowed_until\":null,\"license_key\":\"KEY-OK\"}", "product, feature")]
    [InlineData(LicenseApiEmulator.FeatureBorrowPath, "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"feature\":\"export\",\"license_key\":\"KEY-OK\"}", "borrowed_until")]
    [InlineData(LicenseApiEmulator.FeatureBorrowPath, "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"feature\":\"export\",\"borrowed_until\":null,\"username\":\"ada@example.com\"}", "password")]
    [InlineData(LicenseApiEmulator.FeatureBorrowPath, "[]", "product, hardware_id, feature")]
    [InlineData(LicenseApiEmulator.FeatureReleasePath, "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"license_key\":\"KEY-OK\"}", "feature")]
    [InlineData(LicenseApiEmulator.FeatureReleasePath, "{\"product\":\"app\",\"hardware_id\":\"hw-1\",\"feature\":\"export\",\"id_token\":\"token-ada\",\"customer_account_code\":\"acme\"}", "license_key")]
    public async Task Missing_parameters_are_listed(string path, string json, string parameters)
    {
        (int status, string body, _) = await _fixture.SendRawAsync(json, path: path);

        Assert.Equal(400, status);
        Assert.Equal(("missing_parameters", $"Some parameters are missing in the request: {parameters}."), Error(body));
    }

    [Theory]
    [InlineData("nope", "invalid_license_feature_code", "License feature code: 'nope' is invalid or not assigned to the license.")]
    [InlineData("sync", "invalid_license_feature_code", "License feature code: 'sync' is invalid or not assigned to the license.")]
    [InlineData("reports", "feature_not_floating", "License feature is not floating cloud feature.")]
    public async Task A_feature_that_is_not_a_floating_feature_of_the_license_is_refused(string feature, string code, string message)
    {
        (int borrowed, string borrowError, _) = await BorrowAsync(BorrowBody("hw-1", feature));
        (int released, string releaseError, _) = await ReleaseAsync(ReleaseBody("hw-1", feature));

        Assert.Equal((400, code, message), (borrowed, Error(borrowError).Code, Error(borrowError).Message));
        Assert.Equal((400, code, message), (released, Error(releaseError).Code, Error(releaseError).Message));
    }

    [Theory]
    [InlineData("unknown_product", "no-such-product", "KEY-OK", "hw-1")]
    [InlineData("license_not_found", "app", "KEY-NOPE", "hw-1")]
    [InlineData("license_not_active", "app", "KEY-INACTIVE", "hw-1")]
    [InlineData("license_not_enabled", "app", "KEY-DISABLED", "hw-1")]
    [InlineData("blacklisted", "app", "KEY-OK", "stolen")]
    [InlineData("device_not_found", "app", "KEY-STRICT", "never-activated")]
    [InlineData("device_not_found", "app", "KEY-STRICT", "deactivated")]
    public async Task The_license_checks_come_before_the_feature_checks(string code, string product, string licenseKey, string hardwareId)
    {
        string credential = $"\"license_key\":\"{licenseKey}\"";

        (int borrowed, string borrowError, _) = await BorrowAsync(BorrowBody(hardwareId, credential: credential, product: product));
        (int released, string releaseError, _) = await ReleaseAsync(ReleaseBody(hardwareId, credential: credential, product: product));

        Assert.Equal((400, code), (borrowed, Error(borrowError).Code));
        Assert.Equal((400, code), (released, Error(releaseError).Code));
    }

    [Fact]
    public async Task Releasing_a_feature_the_device_does_not_hold_is_refused_even_with_a_license_seat()
    {
        using LicenseApiClient client = _fixture.Client();
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));
        await BorrowAsync(BorrowBody("hw-2"));

        (int status, string body, _) = await ReleaseAsync(ReleaseBody("hw-1"));

        Assert.Equal(400, status);
        Assert.Equal(("floating_feature_device_not_in_use", "Floating feature device is not in use"), Error(body));
        Assert.Equal((1, 1), (_fixture.Emulator.SeatsInUse(1), _fixture.Emulator.FeatureSeatsInUse(1, "export")));
    }

    [Fact]
    public async Task A_username_alone_releases_a_feature_seat()
    {
        await BorrowAsync(BorrowBody("hw-1", credential: ByUser));

        (int status, string body, _) = await ReleaseAsync(ReleaseBody("hw-1", credential: "\"username\":\"ada@example.com\""));
        (int again, string notHeld, _) = await ReleaseAsync(ReleaseBody("hw-1", credential: "\"username\":\"ada@example.com\""));

        Assert.Equal((200, ""), (status, body));
        Assert.Equal(0, _fixture.Emulator.FeatureSeatsInUse(6, "export"));
        Assert.Equal((400, "floating_feature_device_not_in_use"), (again, Error(notHeld).Code));
    }

    [Fact]
    public void A_seed_file_reads_features_with_their_defaults()
    {
        EmulatorSeed seed = EmulatorSeed.Parse("""
            {
              "products": [ { "code": "demo" } ],
              "licenses": [
                { "id": 1, "product": "demo", "license_key": "K",
                  "features": [ { "code": "export", "floating_users": 3, "max_borrow_time": 8 }, { "code": "reports", "floating": false } ] },
                { "id": 2, "product": "demo", "license_key": "L" }
              ]
            }
            """);

        EmulatedFeature export = seed.Licenses[0].Features[0];
        EmulatedFeature reports = seed.Licenses[0].Features[1];
        Assert.Equal(("export", true, 3, Duration.FromHours(8)), (export.Code, export.Floating, export.FloatingUsers, export.MaxBorrowTime));
        Assert.Equal(("reports", false, 1, Duration.FromHours(24)), (reports.Code, reports.Floating, reports.FloatingUsers, reports.MaxBorrowTime));
        Assert.Empty(seed.Licenses[1].Features);
        Assert.Throws<FormatException>(() => EmulatorSeed.Parse("{ \"licenses\": [ { \"id\": 1, \"product\": \"demo\", \"features\": [ { \"floating\": true } ] } ] }"));
    }

    [Fact]
    public void The_samples_demo_seed_file_has_the_features_of_the_demo_seed()
    {
        EmulatorSeed file = EmulatorSeed.Load(Path.Combine(Repository.Root, "samples", "LicenseClient.Samples.Borrow", "demo-seed.json"));

        static string Describe(EmulatorSeed seed) => string.Join(
            "; ",
            seed.Licenses.SelectMany(l => l.Features.Select(f => $"{l.Id}/{f.Code}/{f.Floating}/{f.FloatingUsers}/{f.MaxBorrowTime.TotalHours}")));

        Assert.Equal("1001/export/True/1/8; 1001/reports/False/1/24", Describe(EmulatorSeed.Demo()));
        Assert.Equal(Describe(EmulatorSeed.Demo()), Describe(file));
    }

    /// <summary>A feature borrow body; <paramref name="credential"/> and <paramref name="until"/> are JSON text.</summary>
    private static string BorrowBody(string hardwareId, string feature = "export", string credential = ByKey, string until = "null", string product = EmulatorFixture.Product)
        => $"{{\"product\":\"{product}\",\"hardware_id\":\"{hardwareId}\",\"feature\":\"{feature}\",\"borrowed_until\":{until},{credential}}}";

    /// <summary>A feature release body; <paramref name="credential"/> is JSON text.</summary>
    private static string ReleaseBody(string hardwareId, string feature = "export", string credential = ByKey, string product = EmulatorFixture.Product)
        => $"{{\"product\":\"{product}\",\"hardware_id\":\"{hardwareId}\",\"feature\":\"{feature}\",{credential}}}";

    /// <summary>The error code and message of an error answer.</summary>
    private static (string? Code, string? Message) Error(string body)
    {
        JsonElement error = JsonDocument.Parse(body).RootElement;
        return (error.GetProperty("code").GetString(), error.GetProperty("message").GetString());
    }

    /// <summary>A <c>borrowed_until</c> JSON string <paramref name="fromNow"/> after the fake clock's time.</summary>
    private string At(Duration fromNow) => $"\"{InstantPattern.ExtendedIso.Format(Now + fromNow)}\"";

    private Task<(int Status, string Body, HttpResponseMessage Response)> BorrowAsync(string json)
        => _fixture.SendRawAsync(json, path: LicenseApiEmulator.FeatureBorrowPath);

    private Task<(int Status, string Body, HttpResponseMessage Response)> ReleaseAsync(string json)
        => _fixture.SendRawAsync(json, path: LicenseApiEmulator.FeatureReleasePath);
}
