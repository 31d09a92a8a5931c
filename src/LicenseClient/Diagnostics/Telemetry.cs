using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LicenseClient.Internal;

namespace LicenseClient.Diagnostics;

/// <summary>
/// The client's <see cref="ActivitySource"/> and <see cref="Meter"/>, their instruments, and the names of their
/// tags. When nothing listens, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns
/// <see langword="null"/> and every instrument is disabled, so a call pays one check for each.
/// </summary>
internal static class Telemetry
{
    public const string OperationTag = "licenseclient.operation";
    public const string OutcomeTag = "licenseclient.outcome";
    public const string AttemptsTag = "licenseclient.attempts";
    public const string AttemptTag = "licenseclient.attempt";
    public const string ProductTag = "licenseclient.product";
    public const string DelayTag = "licenseclient.retry.delay";
    public const string ClockOffsetTag = "licenseclient.clock.offset";
    public const string ErrorTypeTag = "error.type";
    public const string ServerAddressTag = "server.address";
    public const string StatusCodeTag = "http.response.status_code";
    public const string RetryEvent = "licenseclient.retry";
    public const string ClockCorrectionEvent = "licenseclient.clock_correction";

    public static readonly ActivitySource Source = new(LicenseClientDiagnostics.ActivitySourceName, SdkInfo.Version);

    public static readonly Meter Meter = new(LicenseClientDiagnostics.MeterName, SdkInfo.Version);

    /// <summary>The buckets of .NET's own <c>http.client.request.duration</c>, and a few longer ones for calls that retry.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram(
        LicenseClientDiagnostics.OperationDurationInstrument,
        "s",
        "How long License API calls take, retries and the waits between them included.",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120] });

    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        LicenseClientDiagnostics.AttemptsInstrument,
        "{attempt}",
        "HTTP attempts of License API calls, first attempts included.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        LicenseClientDiagnostics.RetriesInstrument,
        "{retry}",
        "Retries of License API calls.");

    /// <summary>The span name of each operation, as the client method that makes it.</summary>
    public static string SpanNameOf(LicenseApiOperation operation) => operation switch
    {
        LicenseApiOperation.Borrow => "LicenseApiClient.Borrow",
        LicenseApiOperation.Release => "LicenseApiClient.Release",
        LicenseApiOperation.BorrowFeature => "LicenseApiClient.BorrowFeature",
        LicenseApiOperation.ReleaseFeature => "LicenseApiClient.ReleaseFeature",
        _ => "LicenseApiClient.Call",
    };

    /// <summary>The <c>licenseclient.operation</c> value of each operation: the endpoint's name.</summary>
    public static string NameOf(LicenseApiOperation operation) => operation switch
    {
        LicenseApiOperation.Borrow => "borrow",
        LicenseApiOperation.Release => "release",
        LicenseApiOperation.BorrowFeature => "feature_borrow",
        LicenseApiOperation.ReleaseFeature => "feature_release",
        _ => "none",
    };

    /// <summary>The <c>error.type</c> of a failure: its License API error code, <c>cancelled</c>, or its type's full name.</summary>
    public static string ErrorTypeOf(Exception failure) => failure switch
    {
        LicenseApiException api => api.ErrorCode,
        OperationCanceledException => "cancelled",
        _ => failure.GetType().FullName ?? failure.GetType().Name,
    };

    /// <summary>
    /// The <c>error.type</c> of a failure as a metric tag: as <see cref="ErrorTypeOf"/>, but a code that is not one of
    /// <see cref="LicenseErrorCodes"/> (one a server or a proxy made up) is <c>_OTHER</c>, so the tag's values stay few.
    /// </summary>
    public static string MetricErrorTypeOf(Exception failure)
        => failure is LicenseApiException api ? KnownCodeOr(api.ErrorCode) : ErrorTypeOf(failure);

    /// <summary><paramref name="code"/> when it is one of <see cref="LicenseErrorCodes"/>, else <c>_OTHER</c>.</summary>
    public static string KnownCodeOr(string code) => LicenseErrorCodes.All.Contains(code) ? code : "_OTHER";

    /// <summary>The tags every call's measurements share.</summary>
    public static TagList CallTags(string operation, string serverAddress, string? product)
    {
        var tags = new TagList
        {
            new KeyValuePair<string, object?>(OperationTag, operation),
            new KeyValuePair<string, object?>(ServerAddressTag, serverAddress),
        };
        if (product is not null)
        {
            tags.Add(ProductTag, product);
        }

        return tags;
    }
}
