using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LicenseClient.Floating;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LicenseClient.Benchmarks;

/// <summary>
/// What the client's logging, tracing and metrics cost a borrow: <see cref="LicenseApiClient.BorrowAsync"/> at
/// concurrency 1 with nothing listening (the baseline), with the OpenTelemetry SDK tracing and measuring every call
/// into exporters that drop what they get, and with a logger at Information and at Debug that formats each message
/// and drops it. As in <see cref="BorrowBenchmarks"/>, each invocation makes <see cref="BorrowsPerInvocation"/>
/// borrows, so Mean is the time and Allocated the bytes per borrow.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private const int BorrowsPerInvocation = 64;

    private SignedAnswerServer _server = null!;
    private LicenseApiClient _client = null!;
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;
    private ILoggerFactory? _loggers;

    [GlobalSetup(Target = nameof(NothingListening))]
    public void SetupNothingListening() => Start(loggerFactory: null);

    [GlobalSetup(Target = nameof(OpenTelemetrySdk))]
    public void SetupOpenTelemetrySdk()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOnSampler())
            .AddSource(LicenseClientDiagnostics.ActivitySourceName, "System.Net.Http")
            .AddProcessor(new SimpleActivityExportProcessor(new DiscardingExporter<Activity>()))
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .AddMeter(LicenseClientDiagnostics.MeterName)
            .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter<Metric>()))
            .Build();
        Start(loggerFactory: null);
    }

    [GlobalSetup(Target = nameof(LoggingInformation))]
    public void SetupLoggingInformation() => Start(_loggers = DiscardingLoggerProvider.Factory(LogLevel.Information));

    [GlobalSetup(Target = nameof(LoggingDebug))]
    public void SetupLoggingDebug() => Start(_loggers = DiscardingLoggerProvider.Factory(LogLevel.Debug));

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _tracing?.Dispose();
        _metrics?.Dispose();
        _loggers?.Dispose();
        (_tracing, _metrics, _loggers) = (null, null, null);
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync, nothing listening")]
    public Task NothingListening() => RunAsync();

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync, OpenTelemetry SDK (traces + metrics)")]
    public Task OpenTelemetrySdk() => RunAsync();

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync, logger at Information")]
    public Task LoggingInformation() => RunAsync();

    [Benchmark(OperationsPerInvoke = BorrowsPerInvocation, Description = "BorrowAsync, logger at Debug")]
    public Task LoggingDebug() => RunAsync();

    private void Start(ILoggerFactory? loggerFactory)
    {
        _server = SignedAnswerServer.StartAsync().GetAwaiter().GetResult();
        LicenseClientOptions options = Borrowing.Options(_server, _server.BaseAddress);
        options.LoggerFactory = loggerFactory;
        _client = new LicenseApiClient(options);
    }

    private async Task RunAsync()
    {
        for (int i = 0; i < BorrowsPerInvocation; i++)
        {
            await _client.BorrowAsync(Borrowing.Request, CancellationToken.None);
        }
    }

    /// <summary>An exporter that takes every batch and keeps nothing.</summary>
    private sealed class DiscardingExporter<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
    }

    /// <summary>Loggers enabled from a minimum level that format each message, as a real provider must, and write it nowhere.</summary>
    private sealed class DiscardingLoggerProvider : ILoggerProvider, ILogger
    {
        public static ILoggerFactory Factory(LogLevel minimum)
            => LoggerFactory.Create(logging => logging.SetMinimumLevel(minimum).AddProvider(new DiscardingLoggerProvider()));

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => GC.KeepAlive(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
