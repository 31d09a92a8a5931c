using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Tests.Emulator;

/// <summary>The control endpoints under <c>/_emulator</c>: state, faults, the licenses' clock and reset, over HTTP.</summary>
public sealed class ControlEndpointTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private EmulatorFixture _fixture = null!;

    private Instant Now => _fixture.Clock.GetCurrentInstant();

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fixture.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_option_the_control_paths_are_not_found_and_count_as_requests()
    {
        await using LicenseApiEmulator emulator = await LicenseApiEmulator.StartAsync();

        using HttpResponseMessage response = await _http.GetAsync(new Uri(emulator.BaseAddress, "_emulator/state"));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("not_found", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(1, emulator.RequestCount);
    }

    [Fact]
    public async Task The_state_shows_seats_borrows_and_devices_per_license_and_feature()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-OK");
        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", key) { BorrowedUntil = Now + Duration.FromHours(2) });
        await client.BorrowFeatureAsync(new FeatureBorrowRequest(EmulatorFixture.Product, "export", "hw-1", key));

        JsonElement state = await StateAsync();

        JsonElement license = License(state, 1);
        Assert.Equal((2, 1), (license.GetProperty("floating_users").GetInt32(), license.GetProperty("seats_in_use").GetInt32()));
        JsonElement borrow = license.GetProperty("borrows").EnumerateArray().Single();
        Assert.Equal(("hw-1", borrowed.DeviceId, "2026-11-26T14:00:00.000Z"), (borrow.GetProperty("hardware_id").GetString(), borrow.GetProperty("device_id").GetInt64(), borrow.GetProperty("borrowed_until").GetString()));
        JsonElement export = license.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "export");
        Assert.Equal(("hw-1", "2026-11-26T20:00:00.000Z"), (export.GetProperty("borrows")[0].GetProperty("hardware_id").GetString(), export.GetProperty("borrows")[0].GetProperty("borrowed_until").GetString()));
        Assert.DoesNotContain(license.GetProperty("features").EnumerateArray(), f => f.GetProperty("code").GetString() == "reports");
        Assert.Equal([("hw-1", true)], license.GetProperty("devices").EnumerateArray().Select(d => (d.GetProperty("hardware_id").GetString(), d.GetProperty("active").GetBoolean())));
        Assert.Equal([("known", true), ("deactivated", false)], License(state, 5).GetProperty("devices").EnumerateArray().Select(d => (d.GetProperty("hardware_id").GetString(), d.GetProperty("active").GetBoolean())));
        Assert.Equal("2026-11-26T12:00:00.000Z", state.GetProperty("now").GetString());
        Assert.Equal(2, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_fault_set_over_http_reaches_the_client_as_a_typed_error_and_is_then_spent()
    {
        using LicenseApiClient client = ClientWithoutRetries();
        var request = new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"));

        Assert.Equal(204, await PostAsync("faults", "{\"kind\":\"fail\",\"count\":1,\"status\":503}"));
        LicenseApiException failure = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(request));
        await client.BorrowAsync(request);

        Assert.Equal(("service_unavailable", (int?)503), (failure.ErrorCode, failure.Status));
    }

    [Fact]
    public async Task Dropped_and_cleared_faults_mirror_emulator_faults()
    {
        using LicenseApiClient client = ClientWithoutRetries();
        var request = new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK"));

        Assert.Equal(204, await PostAsync("faults", "{\"kind\":\"drop\"}"));
        LicenseApiException dropped = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(request));
        Assert.Equal(204, await PostAsync("faults", "{\"kind\":\"fail\",\"count\":3,\"status\":500}"));
        using (HttpResponseMessage cleared = await _http.DeleteAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/faults")))
        {
            Assert.Equal(204, (int)cleared.StatusCode);
        }

        await client.BorrowAsync(request);
        Assert.Equal(LicenseErrorCodes.ConnectionFailed, dropped.ErrorCode);
    }

    [Theory]
    [InlineData("faults", "{\"kind\":\"explode\"}")]
    [InlineData("faults", "{\"kind\":\"fail\",\"status\":200}")]
    [InlineData("faults", "{\"kind\":\"drop\",\"count\":0}")]
    [InlineData("faults", "not json")]
    [InlineData("faults", "{\"kind\":\"drop\",\"count\":2000000000}")]
    [InlineData("faults", "{\"kind\":\"fail\",\"retry_after_seconds\":-5}")]
    [InlineData("faults", "{\"kind\":\"delay\"}")]
    [InlineData("faults", "{\"kind\":\"delay\",\"delay_ms\":1e300}")]
    [InlineData("faults", "{\"kind\":\"skew\"}")]
    [InlineData("clock", "{\"advance_seconds\":-60}")]
    [InlineData("clock", "{}")]
    public async Task A_bad_control_body_is_a_validation_error(string action, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/" + action), content);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("validation_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Moving_the_clock_ends_borrows_and_frees_their_seats_without_touching_date_checks()
    {
        using LicenseApiClient client = _fixture.Client();
        var key = LicenseCredential.FromLicenseKey("KEY-ONE-SEAT");
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-a", key) { BorrowedUntil = Now + Duration.FromHours(1) });
        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", key)));

        Assert.Equal(200, await PostAsync("clock", "{\"advance_seconds\":7200}"));
        JsonElement state = await StateAsync();
        BorrowedLicense next = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-b", key));

        Assert.Equal(0, License(state, 7).GetProperty("seats_in_use").GetInt32());
        Assert.Equal("2026-11-26T14:00:00.000Z", state.GetProperty("now").GetString());
        Assert.Equal("2026-11-26T12:00:00.000Z", state.GetProperty("server_now").GetString());
        Assert.Equal(Now + Duration.FromHours(2) + Duration.FromHours(8), next.BorrowedUntil);
        Assert.Equal(1, _fixture.Emulator.SeatsInUse(7));
    }

    [Fact]
    public async Task Reset_goes_back_to_the_seed()
    {
        using LicenseApiClient client = ClientWithoutRetries();
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));
        Assert.Equal(204, await PostAsync("faults", "{\"kind\":\"fail\",\"status\":503}"));
        Assert.Equal(200, await PostAsync("clock", "{\"advance_seconds\":60}"));

        Assert.Equal(204, await PostAsync("reset", ""));
        JsonElement state = await StateAsync();
        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-2", LicenseCredential.FromLicenseKey("KEY-OK")));

        Assert.Equal(0, License(state, 1).GetProperty("seats_in_use").GetInt32());
        Assert.Empty(License(state, 1).GetProperty("devices").EnumerateArray());
        Assert.Equal(state.GetProperty("server_now").GetString(), state.GetProperty("now").GetString());
    }

    [Fact]
    public async Task An_unknown_control_path_is_not_found_and_a_wrong_method_is_refused()
    {
        using HttpResponseMessage unknown = await _http.GetAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/nothing"));
        using HttpResponseMessage wrongMethod = await _http.GetAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/reset"));

        Assert.Equal((404, 405), ((int)unknown.StatusCode, (int)wrongMethod.StatusCode));
        Assert.Equal(0, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_post_that_a_web_page_could_send_without_asking_is_refused()
    {
        using var plain = new StringContent("{\"kind\":\"drop\"}", Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/faults"), plain);
        using HttpResponseMessage reset = await _http.PostAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/reset"), null);
        using LicenseApiClient client = _fixture.Client();

        await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));

        Assert.Equal((415, 415), ((int)response.StatusCode, (int)reset.StatusCode));
        Assert.Equal(1, _fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_request_addressed_to_another_host_name_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fixture.Emulator.BaseAddress, "_emulator/state"));
        request.Headers.Host = "attacker.example";

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("forbidden", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    /// <summary>A client that makes one attempt per call, so a fault is seen, not retried past.</summary>
    private LicenseApiClient ClientWithoutRetries()
    {
        LicenseClientOptions options = _fixture.Options();
        options.Retry.MaxRetries = 0;
        return new LicenseApiClient(options);
    }

    private static JsonElement License(JsonElement state, long id)
        => state.GetProperty("licenses").EnumerateArray().Single(l => l.GetProperty("id").GetInt64() == id);

    private async Task<JsonElement> StateAsync()
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/state"));
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<int> PostAsync(string action, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_fixture.Emulator.BaseAddress, "_emulator/" + action), content);
        return (int)response.StatusCode;
    }
}
