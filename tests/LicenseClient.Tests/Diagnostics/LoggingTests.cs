using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using LicenseClient.Tests.Offline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NodaTime;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>What a call logs, through <see cref="LicenseClientOptions.LoggerFactory"/>: each path's event id, level and values.</summary>
public sealed class LoggingTests : IDisposable
{
    private const string HardwareId = "hw-1234";
    private readonly LicenseApiStub _api = new();
    private readonly LogCapture _logs = new();

    public void Dispose()
    {
        _logs.Dispose();
        _api.Dispose();
    }

    /// <summary>Every event id, with the number and level it keeps from release to release.</summary>
    public static TheoryData<string, int, LogLevel> EventIds => new()
    {
        { nameof(LicenseClientEventIds.AttemptRetried), 1, LogLevel.Warning },
        { nameof(LicenseClientEventIds.CallFailed), 2, LogLevel.Error },
        { nameof(LicenseClientEventIds.ClockSkewLearned), 3, LogLevel.Warning },
        { nameof(LicenseClientEventIds.ClockCorrected), 4, LogLevel.Warning },
        { nameof(LicenseClientEventIds.TokenObtained), 5, LogLevel.Debug },
        { nameof(LicenseClientEventIds.TokenRenewed), 6, LogLevel.Debug },
        { nameof(LicenseClientEventIds.SignatureMissing), 7, LogLevel.Error },
        { nameof(LicenseClientEventIds.SignatureInvalid), 8, LogLevel.Error },
        { nameof(LicenseClientEventIds.CallStarting), 9, LogLevel.Debug },
        { nameof(LicenseClientEventIds.ReceiptSaved), 20, LogLevel.Information },
        { nameof(LicenseClientEventIds.ReceiptNotSaved), 21, LogLevel.Error },
        { nameof(LicenseClientEventIds.ReceiptLoaded), 22, LogLevel.Information },
        { nameof(LicenseClientEventIds.ReceiptRefused), 23, LogLevel.Warning },
        { nameof(LicenseClientEventIds.SeatHeld), 30, LogLevel.Information },
        { nameof(LicenseClientEventIds.SeatWaiting), 31, LogLevel.Information },
        { nameof(LicenseClientEventIds.SeatRenewed), 32, LogLevel.Information },
        { nameof(LicenseClientEventIds.SeatRenewalFailed), 33, LogLevel.Warning },
        { nameof(LicenseClientEventIds.SeatLost), 34, LogLevel.Error },
        { nameof(LicenseClientEventIds.SeatExpired), 35, LogLevel.Error },
        { nameof(LicenseClientEventIds.SeatReleased), 36, LogLevel.Information },
        { nameof(LicenseClientEventIds.ReleaseJournalled), 37, LogLevel.Warning },
        { nameof(LicenseClientEventIds.JournalledReleaseSent), 38, LogLevel.Information },
    };

    [Theory]
    [MemberData(nameof(EventIds))]
    public void Each_event_id_keeps_its_number_and_its_message_s_level(string name, int id, LogLevel level)
    {
        Assert.Equal(id, typeof(LicenseClientEventIds).GetField(name)!.GetRawConstantValue());
        LoggerMessageAttribute message = Assert.Single(typeof(global::LicenseClient.Diagnostics.Log).GetMethods()
            .Where(method => method.Name == name)
            .Select(method => method.GetCustomAttributes(typeof(LoggerMessageAttribute), inherit: false).Cast<LoggerMessageAttribute>().Single()));
        Assert.Equal(id, message.EventId);
        Assert.Equal(level, message.Level);
    }

    [Fact]
    public void The_table_above_lists_every_event_id_once()
    {
        string[] declared = typeof(LicenseClientEventIds).GetFields().Select(field => field.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, EventIds.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
        Assert.Equal(declared.Length, typeof(LicenseClientEventIds).GetFields().Select(field => field.GetRawConstantValue()).Distinct().Count());
    }

    [Fact]
    public async Task A_borrow_retried_twice_then_granted_logs_two_retry_warnings_and_no_failure()
    {
        _api.RespondInTurn(
            LicenseApiStub.ErrorAnswer(503, "service_unavailable", "Try again"),
            LicenseApiStub.ErrorAnswer(503, "service_unavailable", "Try again"),
            LicenseApiStub.SuccessAnswer());
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = Options();
        options.TimeProvider = time;
        options.Random = () => 0.5;
        options.Retry.BaseDelay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(8);
        using LicenseApiClient client = _api.CreateClient(options);

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(0.8));
        time.Advance(TimeSpan.FromSeconds(0.8));
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(1.6));
        time.Advance(TimeSpan.FromSeconds(1.6));
        await borrow;

        Assert.Equal([LicenseClientEventIds.AttemptRetried, LicenseClientEventIds.AttemptRetried], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord[] retries = _logs.WithId(LicenseClientEventIds.AttemptRetried);
        for (int i = 0; i < 2; i++)
        {
            LogCapture.AssertIs(retries[i], LicenseClientEventIds.AttemptRetried, LogLevel.Warning);
            Assert.Equal("borrow", LogCapture.Value(retries[i], "Operation"));
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), LogCapture.Value(retries[i], "Attempt"));
            Assert.Equal("503", LogCapture.Value(retries[i], "Status"));
            Assert.Equal("service_unavailable", LogCapture.Value(retries[i], "ErrorCode"));
        }

        Assert.Equal("0.8", LogCapture.Value(retries[0], "DelaySeconds"));
        Assert.Equal("1.6", LogCapture.Value(retries[1], "DelaySeconds"));
        Assert.Empty(_logs.WithId(LicenseClientEventIds.CallFailed));
    }

    [Fact]
    public async Task A_refused_borrow_logs_one_error_with_its_code_status_and_attempts()
    {
        _api.RespondWithError(400, "floating_not_available", "No available slots for floating license");
        using LicenseApiClient client = _api.CreateClient(Options());

        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([LicenseClientEventIds.CallFailed], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord failed = _logs.Single(LicenseClientEventIds.CallFailed, LogLevel.Error);
        Assert.Equal("borrow", LogCapture.Value(failed, "Operation"));
        Assert.Equal("400", LogCapture.Value(failed, "Status"));
        Assert.Equal("floating_not_available", LogCapture.Value(failed, "ErrorCode"));
        Assert.Equal("1", LogCapture.Value(failed, "Attempts"));
    }

    [Fact]
    public async Task A_borrow_whose_retries_run_out_logs_each_retry_then_the_failure_with_every_attempt()
    {
        _api.RespondWithError(503, "service_unavailable", "Try again");
        LicenseClientOptions options = Options();
        options.Retry.MaxRetries = 2;
        using LicenseApiClient client = _api.CreateClient(options);

        await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(
            [LicenseClientEventIds.AttemptRetried, LicenseClientEventIds.AttemptRetried, LicenseClientEventIds.CallFailed],
            _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord failed = _logs.Single(LicenseClientEventIds.CallFailed, LogLevel.Error);
        Assert.Equal("503", LogCapture.Value(failed, "Status"));
        Assert.Equal("service_unavailable", LogCapture.Value(failed, "ErrorCode"));
        Assert.Equal("3", LogCapture.Value(failed, "Attempts"));
    }

    [Fact]
    public async Task A_borrow_cancelled_while_it_waits_to_retry_logs_the_retry_and_no_failure()
    {
        _api.RespondWithError(503, "service_unavailable", "Try again");
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = Options();
        options.TimeProvider = time;
        options.Random = () => 0.5;
        options.Retry.BaseDelay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(8);
        using LicenseApiClient client = _api.CreateClient(options);
        using var cancellation = new CancellationTokenSource();

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(0.8));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => borrow);
        Assert.Equal([LicenseClientEventIds.AttemptRetried], _logs.IdsFrom(LogLevel.Information));
    }

    [Fact]
    public async Task A_server_clock_three_hours_ahead_is_logged_once_with_its_offset()
    {
        _api.ServerClockOffset = Duration.FromHours(3);
        _api.RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient(Options());

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LicenseClientEventIds.ClockSkewLearned], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord learned = _logs.Single(LicenseClientEventIds.ClockSkewLearned, LogLevel.Warning);
        Assert.Equal("10800", LogCapture.Value(learned, "OffsetSeconds"));
    }

    [Fact]
    public async Task A_date_refused_by_a_server_three_hours_ahead_logs_the_offset_then_the_corrected_resend()
    {
        _api.ServerClockOffset = Duration.FromHours(3);
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient(Options());

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal([LicenseClientEventIds.ClockSkewLearned, LicenseClientEventIds.ClockCorrected], _logs.IdsFrom(LogLevel.Information));
        Assert.Equal("10800", LogCapture.Value(_logs.Single(LicenseClientEventIds.ClockSkewLearned, LogLevel.Warning), "OffsetSeconds"));
        FakeLogRecord corrected = _logs.Single(LicenseClientEventIds.ClockCorrected, LogLevel.Warning);
        Assert.Equal("borrow", LogCapture.Value(corrected, "Operation"));
        Assert.Equal("1", LogCapture.Value(corrected, "Attempt"));
        Assert.Equal("10800", LogCapture.Value(corrected, "OffsetSeconds"));
    }

    [Fact]
    public async Task An_oauth_token_obtained_then_renewed_before_its_expiry_is_logged_at_debug_without_the_token()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-first-0001", expiresIn: 300), LicenseApiStub.TokenAnswer("token-second-0002", expiresIn: 300))
            .RespondWithSuccess();
        LicenseClientOptions options = OAuthOptions();
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
        _api.Clock.Advance(Duration.FromSeconds(275));
        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(2, _api.TokenRequests.Count);
        FakeLogRecord obtained = _logs.Single(LicenseClientEventIds.TokenObtained, LogLevel.Debug);
        Assert.Equal(_api.TokenEndpoint.AbsoluteUri, LogCapture.Value(obtained, "TokenEndpoint"));
        Assert.Equal("300", LogCapture.Value(obtained, "LifetimeSeconds"));
        FakeLogRecord renewed = _logs.Single(LicenseClientEventIds.TokenRenewed, LogLevel.Debug);
        Assert.Equal(_api.TokenEndpoint.AbsoluteUri, LogCapture.Value(renewed, "TokenEndpoint"));
        Assert.Equal("300", LogCapture.Value(renewed, "LifetimeSeconds"));
        Assert.Empty(_logs.IdsFrom(LogLevel.Information));
        AssertNoOAuthSecret();
    }

    [Fact]
    public async Task An_oauth_token_the_api_refuses_is_logged_as_renewed_without_either_token()
    {
        _api.RespondToTokenInTurn(LicenseApiStub.TokenAnswer("token-first-0001"), LicenseApiStub.TokenAnswer("token-second-0002", expiresIn: 600))
            .RespondInTurn(LicenseApiStub.ErrorAnswer(401, "oauth_token_expired", "Token refused"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient(OAuthOptions());

        await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal("480", LogCapture.Value(_logs.Single(LicenseClientEventIds.TokenObtained, LogLevel.Debug), "LifetimeSeconds"));
        Assert.Equal("600", LogCapture.Value(_logs.Single(LicenseClientEventIds.TokenRenewed, LogLevel.Debug), "LifetimeSeconds"));
        AssertNoOAuthSecret();
    }

    /// <summary>A success with no <c>LicenseSignature</c>, and one whose signature is over another body.</summary>
    public static TheoryData<string?, int, string> UnbelievedSuccesses => new()
    {
        { null, LicenseClientEventIds.SignatureMissing, "signature_missing" },
        { TestKeys.Sign("another body"), LicenseClientEventIds.SignatureInvalid, "signature_invalid" },
    };

    [Theory]
    [MemberData(nameof(UnbelievedSuccesses))]
    public async Task A_success_without_a_good_signature_logs_why_it_is_not_believed_then_the_failure(string? signature, int id, string code)
    {
        _api.RespondAt(
            LicenseApiStub.BorrowPath,
            LicenseApiStub.UnsignedAnswer(200, LicenseApiStub.SuccessBody, "application/json", signature is null ? [] : [("LicenseSignature", signature)]));
        using LicenseApiClient client = _api.CreateClient(Options());

        await Assert.ThrowsAsync<ResponseSignatureException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([id, LicenseClientEventIds.CallFailed], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord refused = _logs.Single(id, LogLevel.Error);
        Assert.Equal("borrow", LogCapture.Value(refused, "Operation"));
        Assert.Equal(_api.BaseAddress.Host, LogCapture.Value(refused, "ServerAddress"));
        FakeLogRecord failed = _logs.Single(LicenseClientEventIds.CallFailed, LogLevel.Error);
        Assert.Equal(code, LogCapture.Value(failed, "ErrorCode"));
        Assert.Equal("200", LogCapture.Value(failed, "Status"));
        Assert.Equal("1", LogCapture.Value(failed, "Attempts"));
    }

    [Theory]
    [InlineData(LicenseApiOperation.Borrow, "borrow")]
    [InlineData(LicenseApiOperation.Release, "release")]
    [InlineData(LicenseApiOperation.BorrowFeature, "feature_borrow")]
    [InlineData(LicenseApiOperation.ReleaseFeature, "feature_release")]
    public async Task Each_call_starts_with_a_debug_record_of_its_operation_product_and_hardware_id(LicenseApiOperation operation, string name)
    {
        _api.RespondWithSuccess()
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer())
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient(Options());

        await FloatingCalls.Invoke(client, operation);

        FakeLogRecord starting = _logs.Single(LicenseClientEventIds.CallStarting, LogLevel.Debug);
        Assert.Equal(name, LogCapture.Value(starting, "Operation"));
        Assert.Equal(FloatingCalls.Product, LogCapture.Value(starting, "Product"));
        Assert.Equal(FloatingCalls.HardwareId, LogCapture.Value(starting, "HardwareId"));
        Assert.Equal(_api.BaseAddress.Host, LogCapture.Value(starting, "ServerAddress"));
        Assert.Empty(_logs.IdsFrom(LogLevel.Information));
    }

    [Fact]
    public async Task The_hardware_id_is_in_no_record_above_debug_on_the_paths_that_warn_and_fail()
    {
        _api.ServerClockOffset = Duration.FromHours(3);
        _api.RespondInTurn(
            LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"),
            LicenseApiStub.ErrorAnswer(503, "service_unavailable", "Try again"),
            LicenseApiStub.ErrorAnswer(400, "device_blacklisted", "Device " + HardwareId + " is blacklisted"));
        using LicenseApiClient client = _api.CreateClient(Options());

        await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(
            [LicenseClientEventIds.ClockSkewLearned, LicenseClientEventIds.ClockCorrected, LicenseClientEventIds.AttemptRetried, LicenseClientEventIds.CallFailed],
            _logs.IdsFrom(LogLevel.Information));
        Assert.Equal(HardwareId, LogCapture.Value(_logs.Single(LicenseClientEventIds.CallStarting, LogLevel.Debug), "HardwareId"));
        _logs.AssertNotAboveDebug(HardwareId);
    }

    [Fact]
    public async Task Above_debug_the_call_start_and_its_hardware_id_are_not_logged_at_all()
    {
        using var logs = new LogCapture(LogLevel.Information);
        _api.RespondWithError(400, "floating_not_available", "No available slots for floating license");
        LicenseClientOptions options = Options();
        options.LoggerFactory = logs.Factory;
        using LicenseApiClient client = _api.CreateClient(options);

        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([LicenseClientEventIds.CallFailed], logs.IdsFrom(LogLevel.Trace));
        logs.AssertNowhere(HardwareId);
    }

    [Fact]
    public async Task A_saved_receipt_is_logged_with_its_product_and_end()
    {
        _api.RespondWithSuccess().RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer());
        LicenseClientOptions options = Options();
        options.ReceiptStore = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = _api.CreateClient(options);

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowFeatureAsync(new FeatureBorrowRequest(FloatingCalls.Product, FloatingCalls.Feature, HardwareId, LicenseCredential.FromLicenseKey("AAAA-BBBB")));

        Assert.Equal([LicenseClientEventIds.ReceiptSaved, LicenseClientEventIds.ReceiptSaved], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord[] saved = _logs.WithId(LicenseClientEventIds.ReceiptSaved);
        Assert.All(saved, record =>
        {
            LogCapture.AssertIs(record, LicenseClientEventIds.ReceiptSaved, LogLevel.Information);
            Assert.Equal(FloatingCalls.Product, LogCapture.Value(record, "Product"));
            Assert.Equal("2030-01-02T03:04:05Z", LogCapture.Value(record, "BorrowedUntil"));
        });
        Assert.Equal("", LogCapture.Value(saved[0], "FeatureSuffix"));
        Assert.Equal(" (feature export)", LogCapture.Value(saved[1], "FeatureSuffix"));
    }

    [Fact]
    public async Task A_receipt_the_store_cannot_save_is_logged_as_an_error_with_the_failure_s_type_and_the_borrow_is_not_a_failed_call()
    {
        _api.RespondWithSuccess();
        LicenseClientOptions options = Options();
        options.ReceiptStore = new ScriptedStore { SaveFailure = new IOException("The disk is full.") };
        using LicenseApiClient client = _api.CreateClient(options);

        await Assert.ThrowsAsync<ReceiptNotSavedException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([LicenseClientEventIds.ReceiptNotSaved], _logs.IdsFrom(LogLevel.Information));
        FakeLogRecord notSaved = _logs.Single(LicenseClientEventIds.ReceiptNotSaved, LogLevel.Error);
        Assert.Equal(FloatingCalls.Product, LogCapture.Value(notSaved, "Product"));
        Assert.Equal("", LogCapture.Value(notSaved, "FeatureSuffix"));
        Assert.Equal(typeof(IOException).FullName, LogCapture.Value(notSaved, "ExceptionType"));
    }

    [Fact]
    public async Task Under_dependency_injection_the_container_s_logger_factory_gets_the_records()
    {
        _api.RespondWithError(400, "floating_not_available", "No available slots for floating license");
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        services.AddLicenseClient(_api.Configure);
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey()));

        // The container's HttpClient logs there too, under its own categories.
        FakeLogRecord[] records = collector.GetSnapshot().Where(r => r.Category == LicenseClientDiagnostics.LoggerCategory).ToArray();
        Assert.Equal([LicenseClientEventIds.CallStarting, LicenseClientEventIds.CallFailed], records.Select(r => r.Id.Id));
        LogCapture.AssertIs(records[1], LicenseClientEventIds.CallFailed, LogLevel.Error);
        Assert.Equal("floating_not_available", LogCapture.Value(records[1], "ErrorCode"));
    }

    [Fact]
    public async Task Under_dependency_injection_the_options_logger_factory_wins_over_the_container_s()
    {
        _api.RespondWithError(400, "floating_not_available", "No available slots for floating license");
        var container = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(container)).SetMinimumLevel(LogLevel.Trace));
        services.AddLicenseClient(options =>
        {
            _api.Configure(options);
            options.LoggerFactory = _logs.Factory;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<FloatingNotAvailableException>(() => provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal([LicenseClientEventIds.CallStarting, LicenseClientEventIds.CallFailed], _logs.IdsFrom(LogLevel.Trace));
        Assert.DoesNotContain(container.GetSnapshot(), r => r.Category == LicenseClientDiagnostics.LoggerCategory);
    }

    /// <summary>The stub's options, logging to the test's collector.</summary>
    private LicenseClientOptions Options()
    {
        LicenseClientOptions options = _api.Options();
        options.LoggerFactory = _logs.Factory;
        return options;
    }

    private LicenseClientOptions OAuthOptions()
    {
        LicenseClientOptions options = _api.OAuthOptions();
        options.LoggerFactory = _logs.Factory;
        return options;
    }

    private void AssertNoOAuthSecret()
    {
        _logs.AssertNowhere("token-first-0001");
        _logs.AssertNowhere("token-second-0002");
        _logs.AssertNowhere("client-secret-0123");
    }
}
