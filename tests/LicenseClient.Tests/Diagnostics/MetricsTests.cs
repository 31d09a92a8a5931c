using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Tests.Infrastructure;
using OpenTelemetry.Metrics;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>The client's measurements, as the OpenTelemetry SDK's in-memory metric exporter receives them.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests : IDisposable
{
    private readonly LicenseApiStub _api = new();

    [Fact]
    public async Task A_borrow_that_succeeds_after_two_retries_records_one_duration_three_attempts_and_two_retries()
    {
        _api.RespondBusyThenSuccess(outages: 2);
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await client.BorrowAsync(Requests.WithLicenseKey());

        MetricSnapshot duration = Assert.Single(telemetry.Metrics(), metric => metric.Name == LicenseClientDiagnostics.OperationDurationInstrument);
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        MetricPoint call = Assert.Single(duration.MetricPoints);
        Assert.Equal(1, call.GetHistogramCount());
        Assert.True(call.GetHistogramSum() >= 0);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["licenseclient.operation"] = "borrow",
                ["licenseclient.outcome"] = "success",
                ["server.address"] = "127.0.0.1",
            },
            TelemetryCapture.TagsOf(call));

        MetricPoint attempts = Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.AttemptsInstrument));
        Assert.Equal(3, attempts.GetSumLong());
        Assert.Equal(TelemetryCapture.TagsOf(call), TelemetryCapture.TagsOf(attempts));

        MetricPoint retries = Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.RetriesInstrument));
        Assert.Equal(2, retries.GetSumLong());
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["licenseclient.operation"] = "borrow",
                ["server.address"] = "127.0.0.1",
                ["error.type"] = "503",
            },
            TelemetryCapture.TagsOf(retries));
    }

    [Fact]
    public async Task The_product_is_a_tag_only_when_the_application_opts_in()
    {
        _api.RespondBusyThenSuccess(outages: 1);
        LicenseClientOptions options = _api.Options();
        options.IncludeProductInMetrics = true;
        using LicenseApiClient client = _api.CreateClient(options);
        using var telemetry = new TelemetryCapture();

        await client.BorrowAsync(Requests.WithLicenseKey());

        foreach (string instrument in new[] { LicenseClientDiagnostics.OperationDurationInstrument, LicenseClientDiagnostics.AttemptsInstrument, LicenseClientDiagnostics.RetriesInstrument })
        {
            MetricPoint point = Assert.Single(telemetry.PointsOf(instrument));
            Assert.Equal("product-x", TelemetryCapture.TagsOf(point)["licenseclient.product"]);
        }
    }

    [Fact]
    public async Task A_refused_borrow_is_a_failure_with_its_code_as_error_type()
    {
        _api.RespondWithError(400, "license_not_found", "License not found");
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await Assert.ThrowsAsync<LicenseNotFoundException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        MetricPoint call = Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.OperationDurationInstrument));
        Dictionary<string, object?> tags = TelemetryCapture.TagsOf(call);
        Assert.Equal("failure", tags["licenseclient.outcome"]);
        Assert.Equal("license_not_found", tags["error.type"]);
        Assert.False(tags.ContainsKey("licenseclient.product"));
        Assert.Equal(1, Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.AttemptsInstrument)).GetSumLong());
        Assert.Empty(telemetry.PointsOf(LicenseClientDiagnostics.RetriesInstrument));
    }

    [Fact]
    public async Task A_call_cancelled_while_its_request_is_in_flight_is_cancelled()
    {
        using var server = new SilentServer();
        using var client = new LicenseApiClient(new LicenseClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = "api-key",
            SharedKey = "shared-key",
            ServerPublicKey = TestKeys.PublicKeyPem,
        });
        using var telemetry = new TelemetryCapture();
        using var cancellation = new CancellationTokenSource();

        Task borrow = client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);
        await server.FirstConnection.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => borrow);

        MetricPoint call = Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.OperationDurationInstrument));
        Dictionary<string, object?> tags = TelemetryCapture.TagsOf(call);
        Assert.Equal("cancelled", tags["licenseclient.outcome"]);
        Assert.Equal("cancelled", tags["error.type"]);
        Assert.Equal(1, Assert.Single(telemetry.PointsOf(LicenseClientDiagnostics.AttemptsInstrument)).GetSumLong());
    }

    public void Dispose() => _api.Dispose();
}
