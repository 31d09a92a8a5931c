using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>The client's spans, as the OpenTelemetry SDK's in-memory exporter receives them.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests : IDisposable
{
    private readonly LicenseApiStub _api = new();

    [Fact]
    public async Task A_borrow_that_succeeds_after_two_retries_is_one_span_with_two_retry_events_and_three_http_children()
    {
        _api.RespondBusyThenSuccess(outages: 2);
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await client.BorrowAsync(Requests.WithLicenseKey());

        Activity span = Assert.Single(telemetry.OperationSpans);
        Assert.Equal("LicenseApiClient.Borrow", span.DisplayName);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(3, span.GetTagItem("licenseclient.attempts"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal("borrow", span.GetTagItem("licenseclient.operation"));
        Assert.Equal("product-x", span.GetTagItem("licenseclient.product"));
        Assert.Null(span.GetTagItem("error.type"));

        ActivityEvent[] retries = span.Events.Where(e => e.Name == "licenseclient.retry").ToArray();
        Assert.Equal(2, retries.Length);
        Assert.Equal([1, 2], retries.Select(e => (int)TagOf(e, "licenseclient.attempt")!));
        Assert.All(retries, e => Assert.Equal("503", TagOf(e, "error.type")));
        Assert.All(retries, e => Assert.Equal(0d, TagOf(e, "licenseclient.retry.delay")));

        IReadOnlyList<Activity> http = telemetry.HttpSpans;
        Assert.Equal(3, http.Count);
        Assert.All(http, child => Assert.Equal(span.SpanId, child.ParentSpanId));
        Assert.Equal([503, 503, 200], http.Select(child => Convert.ToInt32(child.GetTagItem("http.response.status_code"))));
        Assert.Equal(3, _api.BorrowRequests.Count);
    }

    [Fact]
    public async Task A_refused_borrow_has_its_code_as_error_type_and_status_error()
    {
        _api.RespondWithError(400, "license_not_found", "License not found");
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseNotFoundException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Activity span = Assert.Single(telemetry.OperationSpans);
        Assert.Equal("license_not_found", error.ErrorCode);
        Assert.Equal(error.ErrorCode, span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("license_not_found", span.StatusDescription);
        Assert.Equal(400, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1, span.GetTagItem("licenseclient.attempts"));
        Assert.DoesNotContain(span.Events, e => e.Name == "licenseclient.retry");
        Assert.Equal(span.SpanId, Assert.Single(telemetry.HttpSpans).ParentSpanId);
    }

    [Fact]
    public async Task A_call_that_times_out_while_it_waits_to_retry_keeps_the_last_answer_status()
    {
        _api.RespondBusyThenSuccess(outages: 1);
        var time = new RecordingTimeProvider();
        LicenseClientOptions options = _api.Options();
        options.TimeProvider = time;
        options.Random = () => 0.5;
        options.Timeout = TimeSpan.FromSeconds(1);
        options.Retry.BaseDelay = TimeSpan.FromSeconds(5);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        using LicenseApiClient client = _api.CreateClient(options);
        using var telemetry = new TelemetryCapture();

        Task<BorrowedLicense> borrow = client.BorrowAsync(Requests.WithLicenseKey());
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(1));
        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => borrow);

        Activity span = Assert.Single(telemetry.OperationSpans);
        Assert.Equal(LicenseErrorCodes.Timeout, error.ErrorCode);
        Assert.Equal(LicenseErrorCodes.Timeout, span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(503, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1, span.GetTagItem("licenseclient.attempts"));
        Assert.Single(_api.BorrowRequests);
    }

    public static TheoryData<LicenseApiOperation, string, string> Operations => new()
    {
        { LicenseApiOperation.Borrow, "LicenseApiClient.Borrow", "borrow" },
        { LicenseApiOperation.Release, "LicenseApiClient.Release", "release" },
        { LicenseApiOperation.BorrowFeature, "LicenseApiClient.BorrowFeature", "feature_borrow" },
        { LicenseApiOperation.ReleaseFeature, "LicenseApiClient.ReleaseFeature", "feature_release" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_has_its_own_span_name(LicenseApiOperation operation, string spanName, string operationTag)
    {
        _api.RespondAt(LicenseApiStub.BorrowPath, LicenseApiStub.SuccessAnswer())
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer())
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await FloatingCalls.Invoke(client, operation);

        Activity span = Assert.Single(telemetry.OperationSpans);
        Assert.Equal(spanName, span.DisplayName);
        Assert.Equal(operationTag, span.GetTagItem("licenseclient.operation"));
        Assert.Equal(FloatingCalls.Product, span.GetTagItem("licenseclient.product"));
        Assert.Equal(1, span.GetTagItem("licenseclient.attempts"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(span.SpanId, Assert.Single(telemetry.HttpSpans).ParentSpanId);
    }

    [Fact]
    public async Task A_date_refused_by_a_server_three_hours_ahead_gives_a_clock_correction_event_then_a_retry_event()
    {
        _api.ServerClockOffset = Duration.FromHours(3);
        _api.RespondInTurn(LicenseApiStub.ErrorAnswer(400, "date_header_diff", "Date header differs"), LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await client.BorrowAsync(Requests.WithLicenseKey());

        Activity span = Assert.Single(telemetry.OperationSpans);
        ActivityEvent[] events = span.Events.ToArray();
        Assert.Equal(["licenseclient.clock_correction", "licenseclient.retry"], events.Select(e => e.Name));
        Assert.Equal(10_800d, TagOf(events[0], "licenseclient.clock.offset"));
        Assert.Equal("date_header_diff", TagOf(events[1], "error.type"));
        Assert.Equal(0d, TagOf(events[1], "licenseclient.retry.delay"));
        Assert.Equal(2, span.GetTagItem("licenseclient.attempts"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task An_offset_learned_from_a_success_is_a_clock_correction_event_once()
    {
        _api.ServerClockOffset = Duration.FromHours(-2);
        _api.RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient();
        using var telemetry = new TelemetryCapture();

        await client.BorrowAsync(Requests.WithLicenseKey());
        await client.BorrowAsync(Requests.WithLicenseKey());

        IReadOnlyList<Activity> spans = telemetry.OperationSpans;
        Assert.Equal(2, spans.Count);
        ActivityEvent correction = Assert.Single(spans[0].Events);
        Assert.Equal("licenseclient.clock_correction", correction.Name);
        Assert.Equal(-7_200d, TagOf(correction, "licenseclient.clock.offset"));
        Assert.Empty(spans[1].Events);
    }

    [Fact]
    public async Task No_span_is_made_when_nothing_listens_to_the_client_source()
    {
        _api.RespondWithSuccess();
        using LicenseApiClient client = _api.CreateClient();
        using var source = new ActivitySource("LicenseClient.Tests.HttpOnly");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "System.Net.Http" or "LicenseClient.Tests.HttpOnly",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using Activity root = source.StartActivity("test")!;

        await client.BorrowAsync(Requests.WithLicenseKey());

        Activity[] mine;
        lock (stopped)
        {
            mine = stopped.Where(activity => activity.TraceId == root.TraceId).ToArray();
        }

        Activity http = Assert.Single(mine);
        Assert.Equal("System.Net.Http", http.Source.Name);
        Assert.Equal(root.SpanId, http.ParentSpanId);
        Assert.Same(root, Activity.Current);
    }

    public void Dispose() => _api.Dispose();

    private static object? TagOf(ActivityEvent activityEvent, string name)
        => activityEvent.Tags.Single(tag => tag.Key == name).Value;
}
