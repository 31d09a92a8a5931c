using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Tests.Diagnostics;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Metrics;
using WireMock;

namespace LicenseClient.Tests.Conventions;

/// <summary>
/// Runs success and failure scenarios with known secret values and checks that none of them shows up
/// in anything observable: exception messages and ToString(), the ToString() of every object a caller
/// handles, every log record at every level, every span attribute and span event attribute, and every
/// metric tag. The hardware id, personal data, may appear only in Debug log records.
/// </summary>
/// <remarks>Runs with the tests that assert metrics: it reads the client's static meter.</remarks>
[Collection(TelemetryCollection.Name)]
public sealed class SecretHygieneTests : IDisposable
{
    private const string SharedKey = "SHARED-KEY-5ecr3t";
    private const string LicenseKey = "LICENSE-KEY-5ecr3t";
    private const string Password = "PASSWORD-5ecr3t";
    private const string IdToken = "ID-TOKEN-5ecr3t";
    private const string Code = "AUTH-CODE-5ecr3t";
    private const string ClientSecret = "CLIENT-SECRET-5ecr3t";
    private const string Token = "ACCESS-TOKEN-5ecr3t";
    private const string HardwareId = "HARDWARE-ID-7e57";

    private static readonly string[] Secrets = [SharedKey, LicenseKey, Password, IdToken, Code, ClientSecret, Token];

    private static readonly LicenseCredential[] Credentials =
    [
        LicenseCredential.FromLicenseKey(LicenseKey),
        LicenseCredential.FromUser("ann@example.test", Password),
        LicenseCredential.FromIdToken(IdToken, "ACME"),
        LicenseCredential.FromAuthorizationCode(Code, "ACME", new Uri("https://app.example.test/cb")),
    ];

    /// <summary>Every log record of the scenarios, at every level.</summary>
    private readonly FakeLoggerProvider _logs = new();

    /// <summary>The Authorization header values the test servers received.</summary>
    private readonly List<string> _authorizations = [];

    private ILoggerFactory? _loggerFactory;

    [Fact]
    public async Task No_secret_reaches_messages_to_string_logs_spans_or_metrics()
    {
        using var telemetry = new TelemetryCapture();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        _loggerFactory = loggerFactory;

        var observed = new List<string>();
        var answers = new (int Status, string Body)[]
        {
            (200, LicenseApiStub.SuccessBody),
            (400, "{\"status\":400,\"code\":\"floating_not_available\",\"message\":\"No available slots for floating license\"}"),
            (400, "{\"status\":400,\"code\":\"missing_parameters\",\"message\":\"Some parameters are missing in the request: product.\"}"),
            (401, "{\"status\":401,\"code\":\"signature_mismatch\",\"message\":\"signature mismatch\"}"),
            (409, "{\"status\":409,\"code\":\"something_new\",\"message\":\"new\"}"),
            (502, "<html>Bad Gateway</html>"),
            (200, "{\"borrowed_until\":"),
        };

        foreach ((int status, string body) in answers)
        {
            using var api = new LicenseApiStub().RespondToBorrow(status, body);
            LicenseClientOptions options = Logged(api.Options());
            options.SharedKey = SharedKey;
            observed.Add(options.ToString()!);
            using var client = new LicenseApiClient(options);
            observed.Add(client.ToString()!);

            foreach (LicenseCredential credential in Credentials)
            {
                BorrowRequest request = new("product-x", HardwareId, credential);
                observed.Add(credential.ToString());
                observed.Add(request.ToString());
                try
                {
                    observed.Add((await client.BorrowAsync(request)).ToString());
                }
                catch (LicenseApiException ex)
                {
                    observed.Add(ex.Message);
                    observed.Add(ex.ToString());
                }
            }

            RememberAuthorizations(api);
        }

        using (var server = new SilentServer())
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(100) };
            var options = Logged(new LicenseClientOptions { BaseAddress = server.BaseAddress, ApiKey = "k", SharedKey = SharedKey, ServerPublicKey = TestKeys.PublicKeyPem, Retry = { MaxRetries = 0 } });
            using var client = new LicenseApiClient(http, options);
            LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(new("p", HardwareId, Credentials[0])));
            observed.Add(error.ToString());
        }

        observed.Add(new ApiKeySigner("k", SharedKey).ToString()!);
        await ObserveOAuthAsync(observed);
        await ObserveReleasesAndFeaturesAsync(observed);

        Assert.True(observed.Count > 80, $"{observed.Count} observations");
        AssertNoSecretIn(observed, Secrets);

        string[] secrets = [.. Secrets, .. _authorizations, .. _authorizations.Select(SignatureOf).OfType<string>()];
        Assert.True(_authorizations.Count > 80, $"{_authorizations.Count} Authorization headers");
        Assert.Contains(_authorizations, value => value.StartsWith("Bearer ", StringComparison.Ordinal));
        Assert.Contains(_authorizations, value => SignatureOf(value) is not null);

        ScanLogs(secrets);
        ScanSpans(telemetry, secrets);
        ScanMetrics(telemetry, secrets);
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>Every log record at every level: message, structured state, scopes and exception.</summary>
    private void ScanLogs(string[] secrets)
    {
        IReadOnlyList<FakeLogRecord> records = _logs.Collector.GetSnapshot();
        string[] texts = records.Select(TextOf).ToArray();
        Assert.True(records.Count > 150, $"{records.Count} log records");
        foreach (LogLevel level in new[] { LogLevel.Debug, LogLevel.Warning, LogLevel.Error })
        {
            Assert.Contains(records, record => record.Level == level);
        }

        AssertNoSecretIn(texts, secrets);

        // The hardware id is in the Debug record of each call, so the scan sees it where it is, and nowhere above Debug.
        Assert.Contains(records, record => record.Level == LogLevel.Debug && record.Id.Id == LicenseClientEventIds.CallStarting && TextOf(record).Contains(HardwareId, StringComparison.Ordinal));
        AssertNoSecretIn(records.Where(record => record.Level > LogLevel.Debug).Select(TextOf), [HardwareId]);
    }

    /// <summary>Every attribute, status and event attribute of the client's spans and of HttpClient's spans under them.</summary>
    private static void ScanSpans(TelemetryCapture telemetry, string[] secrets)
    {
        IReadOnlyList<Activity> spans = telemetry.Spans;
        Assert.True(telemetry.OperationSpans.Count > 80, $"{telemetry.OperationSpans.Count} operation spans");
        Assert.True(telemetry.HttpSpans.Count > 100, $"{telemetry.HttpSpans.Count} HTTP spans");
        Assert.Equal(
            ["LicenseApiClient.Borrow", "LicenseApiClient.BorrowFeature", "LicenseApiClient.Release", "LicenseApiClient.ReleaseFeature"],
            telemetry.OperationSpans.Select(span => span.DisplayName).Distinct().Order(StringComparer.Ordinal));

        var texts = new List<string>();
        foreach (Activity span in spans)
        {
            texts.Add(span.DisplayName);
            texts.Add(span.StatusDescription ?? "");
            texts.AddRange(span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"));
            foreach (ActivityEvent spanEvent in span.Events)
            {
                texts.Add(spanEvent.Name);
                texts.AddRange(spanEvent.Tags.Select(tag => $"{tag.Key}={tag.Value}"));
            }
        }

        Assert.True(texts.Count > 1500, $"{texts.Count} span names, statuses, attributes and events");
        Assert.Contains(texts, text => text == "licenseclient.product=product-x");
        Assert.Contains(texts, text => text.StartsWith("url.full=", StringComparison.Ordinal));
        Assert.Contains(texts, text => text == "licenseclient.retry");
        AssertNoSecretIn(texts, [.. secrets, HardwareId]);
    }

    /// <summary>Every tag of every point of the client's instruments.</summary>
    private static void ScanMetrics(TelemetryCapture telemetry, string[] secrets)
    {
        IReadOnlyList<MetricSnapshot> metrics = telemetry.Metrics();
        Assert.Equal(
            [LicenseClientDiagnostics.AttemptsInstrument, LicenseClientDiagnostics.OperationDurationInstrument, LicenseClientDiagnostics.RetriesInstrument],
            metrics.Select(metric => metric.Name).Distinct().Order(StringComparer.Ordinal));
        string[] tags = metrics.SelectMany(metric => metric.MetricPoints)
            .SelectMany(point => TelemetryCapture.TagsOf(point).Select(tag => $"{tag.Key}={tag.Value}"))
            .ToArray();
        Assert.True(tags.Length > 120, $"{tags.Length} metric tags");
        Assert.Contains("licenseclient.operation=feature_release", tags);
        Assert.Contains("licenseclient.outcome=failure", tags);
        AssertNoSecretIn(tags, [.. secrets, HardwareId]);
    }

    private static void AssertNoSecretIn(IEnumerable<string> texts, string[] secrets)
    {
        foreach (string text in texts)
        {
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>All a log record holds as text.</summary>
    private static string TextOf(FakeLogRecord record)
        => string.Join(
            "\n",
            [
                record.Message,
                record.Exception?.ToString() ?? "",
                .. record.StructuredState?.Select(pair => $"{pair.Key}={pair.Value}") ?? [],
                .. record.Scopes.Select(scope => scope?.ToString() ?? ""),
            ]);

    /// <summary>The signature of an API key Authorization header, <see langword="null"/> for other schemes.</summary>
    private static string? SignatureOf(string authorization)
    {
        const string start = "signature=\"";
        int at = authorization.IndexOf(start, StringComparison.Ordinal);
        return at < 0 ? null : authorization[(at + start.Length)..authorization.IndexOf('"', at + start.Length)];
    }

    /// <summary><paramref name="options"/>, logging to the scan's logger factory.</summary>
    private LicenseClientOptions Logged(LicenseClientOptions options)
    {
        options.LoggerFactory = _loggerFactory;
        return options;
    }

    private void RememberAuthorizations(LicenseApiStub api)
    {
        foreach (IRequestMessage request in api.Requests)
        {
            foreach ((string name, WireMock.Types.WireMockList<string> values) in request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
            {
                if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    _authorizations.AddRange(values);
                }
            }
        }
    }

    /// <summary>Release, feature borrow and feature release, refused and then accepted, with every credential they take, and their requests.</summary>
    private async Task ObserveReleasesAndFeaturesAsync(List<string> observed)
    {
        const string refusal = "{\"status\":400,\"code\":\"license_not_found\",\"message\":\"License not found\"}";
        using var refusing = new LicenseApiStub()
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.ErrorAnswer(400, "license_not_found", "License not found"))
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.ErrorAnswer(400, "floating_feature_device_not_in_use", "Not in use"))
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.Answer(400, refusal));
        using var accepting = AcceptingReleasesAndFeatures(new LicenseApiStub());

        foreach (LicenseApiStub api in new[] { refusing, accepting })
        {
            LicenseClientOptions options = Logged(api.Options());
            options.SharedKey = SharedKey;
            using var client = new LicenseApiClient(options);
            foreach (LicenseCredential credential in Credentials)
            {
                var borrow = new FeatureBorrowRequest("product-x", "export", HardwareId, credential);
                observed.Add(borrow.ToString());
                await ObserveAsync(observed, () => client.BorrowFeatureAsync(borrow));
            }

            foreach (LicenseCredential credential in Credentials[..2])
            {
                var release = new ReleaseRequest("product-x", HardwareId, credential);
                var featureRelease = new FeatureReleaseRequest("product-x", "export", HardwareId, credential);
                observed.Add(release.ToString());
                observed.Add(featureRelease.ToString());
                await ObserveAsync(observed, () => client.ReleaseAsync(release));
                await ObserveAsync(observed, () => client.ReleaseFeatureAsync(featureRelease));
            }

            Assert.All(api.Requests.Where(r => r.Path != LicenseApiStub.FeatureBorrowPath), request => Assert.DoesNotContain(Password, request.Body, StringComparison.Ordinal));
            RememberAuthorizations(api);
        }

        Assert.True(accepting.Requests.Count >= 8, $"{accepting.Requests.Count} accepted requests");
    }

    /// <summary>OAuth: a borrow with a token, a token refused twice, a client refused, and a forged answer; releases and features with a token.</summary>
    private async Task ObserveOAuthAsync(List<string> observed)
    {
        var scenarios = new (WireMock.ResponseBuilders.IResponseBuilder Token, WireMock.ResponseBuilders.IResponseBuilder Borrow)[]
        {
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.SuccessAnswer()),
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.ErrorAnswer(401, "oauth_token_expired", "Token expired")),
            (LicenseApiStub.UnsignedAnswer(401, "{\"error\":\"invalid_client\"}"), LicenseApiStub.SuccessAnswer()),
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.UnsignedAnswer(200, LicenseApiStub.SuccessBody, "application/json", ("LicenseSignature", "AAAA"))),
        };

        foreach ((var token, var borrow) in scenarios)
        {
            using var api = AcceptingReleasesAndFeatures(new LicenseApiStub().RespondToTokenInTurn(token).RespondInTurn(borrow));
            LicenseClientOptions options = Logged(api.OAuthOptions(ClientSecret));
            observed.Add(options.ToString()!);
            using LicenseApiClient client = api.CreateClient(options);
            foreach (LicenseCredential credential in Credentials)
            {
                await ObserveAsync(observed, async () => observed.Add((await client.BorrowAsync(new BorrowRequest("product-x", HardwareId, credential))).ToString()));
                await ObserveAsync(observed, () => client.BorrowFeatureAsync(new FeatureBorrowRequest("product-x", "export", HardwareId, credential)));
            }

            foreach (LicenseCredential credential in Credentials[..2])
            {
                await ObserveAsync(observed, () => client.ReleaseAsync(new ReleaseRequest("product-x", HardwareId, credential)));
                await ObserveAsync(observed, () => client.ReleaseFeatureAsync(new FeatureReleaseRequest("product-x", "export", HardwareId, credential)));
            }

            RememberAuthorizations(api);
        }

        using var signer = new OAuthClientCredentialsSigner("client-1", ClientSecret);
        observed.Add(signer.ToString()!);
    }

    /// <summary>Runs a call, keeping its failure's text.</summary>
    private static async Task ObserveAsync(List<string> observed, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (LicenseApiException ex)
        {
            observed.Add(ex.Message);
            observed.Add(ex.ToString());
        }
    }

    /// <summary><paramref name="api"/>, accepting releases, feature borrows and feature releases.</summary>
    private static LicenseApiStub AcceptingReleasesAndFeatures(LicenseApiStub api)
        => api.RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer())
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
}
