using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using LicenseClient.Diagnostics;
using LicenseClient.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LicenseClient.Benchmarks;

/// <summary>
/// The instrumentation a call runs when nothing listens, alone: the debug log message's level check, the span that
/// is not started, and the check that the duration and attempts instruments are off. These are the statements a
/// borrow runs for its logging, tracing and metrics, in the order it runs them.
/// </summary>
[MemoryDiagnoser]
public class IdleTelemetryBenchmarks
{
    private readonly ILogger _logger = NullLogger.Instance;

    [GlobalSetup]
    public void Setup()
    {
        if (Telemetry.Source.HasListeners() || Telemetry.Duration.Enabled || Telemetry.Attempts.Enabled)
        {
            throw new InvalidOperationException("Something listens to the client's ActivitySource or Meter: this benchmark measures the idle cost.");
        }
    }

    [Benchmark(Description = "A call's instrumentation, nothing listening")]
    public bool Instrument()
    {
        Log.CallStarting(_logger, Telemetry.NameOf(LicenseApiOperation.Borrow), Borrowing.Request.Product, Borrowing.Request.HardwareId, "127.0.0.1");
        using Activity? activity = Telemetry.Source.StartActivity(Telemetry.SpanNameOf(LicenseApiOperation.Borrow), ActivityKind.Internal);
        return activity is null && !(Telemetry.Duration.Enabled || Telemetry.Attempts.Enabled);
    }
}
