using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using LicenseClient.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>
/// Every test that asserts the client's measurements: the client's <see cref="System.Diagnostics.Metrics.Meter"/> is static,
/// so a listener sees the calls of every test that runs at the same time. These tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The OpenTelemetry SDK listening to the client as an application would: a tracer provider on the client's
/// <see cref="ActivitySource"/> and HttpClient's, and a meter provider on the client's meter, both exporting in memory.
/// The test's calls run under a root span of its own, so <see cref="Spans"/> holds only the spans of this test's
/// trace, whatever other tests run at the same time.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private const string TestSourceName = "LicenseClient.Tests.Telemetry";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly List<Activity> _exported = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metering;
    private readonly Activity _root;

    /// <summary>Starts the providers and the test's root span, which becomes <see cref="Activity.Current"/> of the caller.</summary>
    public TelemetryCapture()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(LicenseClientDiagnostics.ActivitySourceName, "System.Net.Http", TestSourceName)
            .AddInMemoryExporter(_exported)
            .Build()!;
        _metering = Sdk.CreateMeterProviderBuilder()
            .AddMeter(LicenseClientDiagnostics.MeterName)
            .AddInMemoryExporter(_metrics)
            .Build()!;
        _root = TestSource.StartActivity("test", ActivityKind.Internal, parentContext: default)
            ?? throw new InvalidOperationException("The tracer provider does not sample the test's root span.");
    }

    /// <summary>The spans of this test's trace that have ended, the root excluded, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            _tracing.ForceFlush();
            lock (_exported)
            {
                return _exported.Where(span => span.TraceId == _root.TraceId && span != _root).ToList();
            }
        }
    }

    /// <summary>The client's operation spans of this test's trace.</summary>
    public IReadOnlyList<Activity> OperationSpans
        => Spans.Where(span => span.Source.Name == LicenseClientDiagnostics.ActivitySourceName).ToList();

    /// <summary>HttpClient's spans of this test's trace.</summary>
    public IReadOnlyList<Activity> HttpSpans => Spans.Where(span => span.Source.Name == "System.Net.Http").ToList();

    /// <summary>The client's measurements since the capture started, as the meter provider exports them now (cumulative).</summary>
    public IReadOnlyList<MetricSnapshot> Metrics()
    {
        _metrics.Clear();
        _metering.ForceFlush();
        return _metrics.ToList();
    }

    /// <summary>The points of the instrument named <paramref name="instrument"/>, none if it recorded nothing.</summary>
    public IReadOnlyList<MetricPoint> PointsOf(string instrument)
        => Metrics().Where(metric => metric.Name == instrument).SelectMany(metric => metric.MetricPoints).ToList();

    /// <summary>A metric point's tags as a dictionary.</summary>
    public static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            tags.Add(tag.Key, tag.Value);
        }

        return tags;
    }

    public void Dispose()
    {
        _root.Dispose();
        _tracing.Dispose();
        _metering.Dispose();
    }
}
