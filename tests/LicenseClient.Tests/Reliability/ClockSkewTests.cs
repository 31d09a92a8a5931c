using System;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using WireMock;

namespace LicenseClient.Tests.Reliability;

/// <summary>A computer whose clock is wrong: the client learns the server's time from its answers.</summary>
public sealed class ClockSkewTests : IDisposable
{
    private const string LocalDate = "Thu, 26 Nov 2026 12:00:00 GMT";
    private const string ServerDate = "Thu, 26 Nov 2026 15:00:00 GMT";

    private readonly LicenseApiStub _api = new() { ServerClockOffset = Duration.FromHours(3) };

    [Fact]
    public async Task A_date_refused_by_a_server_three_hours_ahead_is_corrected_once_and_remembered()
    {
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());
        Assert.Equal([LocalDate, ServerDate], Dates());

        await client.BorrowAsync(Requests.WithLicenseKey());
        Assert.Equal([LocalDate, ServerDate, ServerDate], Dates());
    }

    [Fact]
    public async Task Any_answer_more_than_a_minute_off_teaches_the_offset()
    {
        _api.RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, ServerDate], Dates());
    }

    [Fact]
    public async Task An_offset_within_a_minute_is_ignored()
    {
        _api.ServerClockOffset = Duration.FromSeconds(50);
        _api.RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient();

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, LocalDate], Dates());
    }

    [Fact]
    public async Task Without_a_server_date_the_error_says_the_clock_is_wrong()
    {
        _api.ServerClockOffset = null;
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Single(_api.Requests);
        Assert.Equal("date_header_diff", error.ErrorCode);
        Assert.Equal(400, error.Status);
        Assert.Equal("Date header differs", error.ServerMessage);
        Assert.Contains("this computer's clock is more than 15 minutes off the License API's clock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_still_refused_after_the_correction_says_by_how_much_the_clock_is_off()
    {
        _api.RespondWithError(400, "date_header_diff", "Date header differs");
        using LicenseApiClient client = _api.CreateClient();

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(2, _api.Requests.Count);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("this computer's clock is 3 h 0 min behind the License API's clock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_from_one_container_share_what_they_learn_about_the_servers_clock()
    {
        _api.RespondWithSuccess();
        var services = new ServiceCollection();
        services.AddLicenseClient(options =>
            {
                _api.Configure(options);
                options.Clock = _api.Clock;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new ServerDateHandler(() => _api.Clock.GetCurrentInstant() + Duration.FromHours(3)));
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());
        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, ServerDate], Dates());
    }

    /// <summary>Answers the client must not believe: a proxy's page, and a success whose signature does not match.</summary>
    public static TheoryData<string> UntrustedAnswers => ["proxy page", "forged success"];

    [Theory]
    [MemberData(nameof(UntrustedAnswers))]
    public async Task An_untrusted_answer_dated_two_years_ahead_does_not_move_the_clock(string kind)
    {
        _api.ServerClockOffset = Duration.FromDays(730);
        _api.RespondInTurn(
            kind == "proxy page"
                ? LicenseApiStub.UnsignedAnswer(503, "<html>Service Unavailable</html>", "text/html")
                : LicenseApiStub.UnsignedAnswer(200, LicenseApiStub.SuccessBody, "application/json", ("LicenseSignature", TestKeys.Sign("another body"))),
            LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
        _api.ServerClockOffset = Duration.Zero;
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, LocalDate], Dates());
    }

    [Fact]
    public async Task A_date_refused_after_the_server_clock_was_put_right_is_resent_once_even_without_retries()
    {
        // A believed answer teaches an offset of 3 h; then the server's clock is put right. The next request is
        // dated 3 h ahead and refused by a server whose Date matches this computer's clock: the offset learned from
        // the refusal is zero, yet the refused request was 3 h off, so it is resent once, corrected.
        _api.RespondWithSuccess();
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);
        await client.BorrowAsync(Requests.WithLicenseKey());

        _api.Server.ResetMappings();
        _api.ServerClockOffset = Duration.Zero;
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"), LicenseApiStub.SuccessAnswer());
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, ServerDate, LocalDate], Dates());
    }

    [Fact]
    public async Task A_license_api_error_with_a_code_teaches_the_clock()
    {
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "license_not_found", "Not found"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();

        await Assert.ThrowsAsync<LicenseNotFoundException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, ServerDate], Dates());
    }

    [Fact]
    public async Task A_success_that_is_not_verified_does_not_teach_the_clock()
    {
        _api.RespondWithSuccess();
        LicenseClientOptions options = _api.Options();
        options.VerifyResponseSignatures = false;
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, LocalDate], Dates());
    }

    [Fact]
    public async Task A_releases_unsigned_success_does_not_teach_the_clock()
    {
        _api.RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient();

        await FloatingCalls.Invoke(client, LicenseApiOperation.Release);
        await FloatingCalls.Invoke(client, LicenseApiOperation.Release);

        Assert.Equal([LocalDate, LocalDate], Dates());
    }

    [Fact]
    public async Task The_clock_correction_comes_on_top_of_the_transient_retries()
    {
        _api.RespondInTurn(
            LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"),
            LicenseApiStub.UnsignedAnswer(503, "<html>busy</html>", "text/html"),
            LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 1;
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, ServerDate, ServerDate], Dates());
    }

    [Fact]
    public async Task One_fake_time_provider_dates_the_requests_when_no_clock_is_set()
    {
        _api.ServerClockOffset = Duration.Zero;
        _api.RespondWithSuccess();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var options = new LicenseClientOptions { TimeProvider = time };
        _api.Configure(options);
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
        time.Advance(TimeSpan.FromHours(1));
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LocalDate, "Thu, 26 Nov 2026 13:00:00 GMT"], Dates());
    }

    [Fact]
    public async Task The_corrected_resend_is_a_retry_the_attempt_count_shows()
    {
        _api.RespondWithError(400, "date_header_diff", "Date header differs");
        LicenseClientOptions options = _api.Options();
        options.Retry.MaxRetries = 0;
        using LicenseApiClient client = _api.CreateClient(options);

        LicenseAuthorizationException error = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(2, error.Attempts);
        Assert.Equal([LocalDate, ServerDate], Dates());
    }

    public void Dispose() => _api.Dispose();

    private string[] Dates()
        => _api.Requests.OrderBy(r => r.DateTime)
            .Select(r => Assert.Single(r.Headers!.First(h => string.Equals(h.Key, "Date", StringComparison.OrdinalIgnoreCase)).Value))
            .ToArray();
}
