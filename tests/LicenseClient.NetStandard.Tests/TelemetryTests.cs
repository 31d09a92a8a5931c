using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests;

/// <summary>The netstandard2.0 build's ActivitySource and Meter (from the System.Diagnostics.DiagnosticSource package) reach listeners.</summary>
public sealed class TelemetryTests
{
    private const string Body =
        "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1687283003863909,\"license_id\":1673449189923780,\"company\":{\"id\":276}}";

    /// <summary>A product of this test's own, so its measurements can be told from other tests' that run at the same time.</summary>
    private const string Product = "product-netstandard-telemetry";

    [Fact]
    public async Task A_borrow_is_a_span_under_the_callers_span_and_a_duration_measurement()
    {
        using var server = new RawHttpServer(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLicenseSignature: {TestKeys.Sign(Body)}\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\nConnection: close\r\n\r\n{Body}");
        using var client = new LicenseApiClient(new LicenseClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = "api-key",
            SharedKey = "shared-key",
            ServerPublicKey = TestKeys.PublicKeyPem,
            IncludeProductInMetrics = true,
        });

        using var testSource = new ActivitySource("LicenseClient.NetStandard.Tests");
        var spans = new List<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LicenseClientDiagnostics.ActivitySourceName || source == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        var durations = new List<(double Seconds, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LicenseClientDiagnostics.MeterName && instrument.Name == LicenseClientDiagnostics.OperationDurationInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (durations)
            {
                durations.Add((seconds, copy));
            }
        });
        meters.Start();

        using (Activity root = testSource.StartActivity("test")!)
        {
            await client.BorrowAsync(new BorrowRequest(Product, "hw-1234", LicenseCredential.FromLicenseKey("AAAA-BBBB")));

            Activity span;
            lock (spans)
            {
                span = Assert.Single(spans, activity => activity.TraceId == root.TraceId && activity.Source.Name == LicenseClientDiagnostics.ActivitySourceName);
            }

            Assert.Equal("LicenseApiClient.Borrow", span.DisplayName);
            Assert.Equal(root.SpanId, span.ParentSpanId);
            Assert.Equal(1, span.GetTagItem("licenseclient.attempts"));
            Assert.Equal(200, span.GetTagItem("http.response.status_code"));
            Assert.Equal(Product, span.GetTagItem("licenseclient.product"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }

        (double Seconds, Dictionary<string, object?> Tags)[] mine;
        lock (durations)
        {
            mine = durations.Where(measurement => Equals(measurement.Tags.GetValueOrDefault("licenseclient.product"), Product)).ToArray();
        }

        (double seconds, Dictionary<string, object?> tags) = Assert.Single(mine);
        Assert.True(seconds >= 0, $"{seconds} s");
        Assert.Equal("borrow", tags["licenseclient.operation"]);
        Assert.Equal("success", tags["licenseclient.outcome"]);
        Assert.Equal("127.0.0.1", tags["server.address"]);
        Assert.Equal(1, server.Requests);
    }
}
