namespace LicenseClient;

/// <summary>
/// The names under which the client reports what it does, for logging, tracing and metrics set-up, such as
/// <c>tracing.AddSource(LicenseClientDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(LicenseClientDiagnostics.MeterName)</c> with OpenTelemetry.
/// </summary>
/// <remarks>
/// Nothing secret is ever reported: no keys, client secrets, tokens, passwords, license keys, id tokens,
/// authorization codes or <c>Authorization</c> header values. Hardware ids appear only in debug-level logs, and
/// never in traces or metrics.
/// </remarks>
public static class LicenseClientDiagnostics
{
    /// <summary>
    /// The <c>System.Diagnostics.ActivitySource</c> of the client: one span per call (<c>LicenseApiClient.Borrow</c>,
    /// <c>LicenseApiClient.Release</c>, <c>LicenseApiClient.BorrowFeature</c>, <c>LicenseApiClient.ReleaseFeature</c>), the
    /// parent of the HTTP spans of its attempts.
    /// </summary>
    public const string ActivitySourceName = "LicenseClient";

    /// <summary>
    /// The <c>System.Diagnostics.Metrics.Meter</c> of the client, with the instruments
    /// <see cref="OperationDurationInstrument"/>, <see cref="AttemptsInstrument"/> and <see cref="RetriesInstrument"/>.
    /// </summary>
    public const string MeterName = "LicenseClient";

    /// <summary>The category of the client's log messages; their event ids are in <see cref="LicenseClientEventIds"/>.</summary>
    public const string LoggerCategory = "LicenseClient";

    /// <summary>
    /// A histogram of how long calls take, in seconds, retries and the waits between them included. Tagged with
    /// <c>licenseclient.operation</c>, <c>licenseclient.outcome</c> (<c>success</c>, <c>failure</c> or <c>cancelled</c>),
    /// <c>error.type</c> (the error code, on failure) and <c>server.address</c>; with <c>licenseclient.product</c> too when
    /// <see cref="LicenseClientOptions.IncludeProductInMetrics"/> is set.
    /// </summary>
    public const string OperationDurationInstrument = "licenseclient.operation.duration";

    /// <summary>A counter of the HTTP attempts calls make, first attempts included; tagged as <see cref="OperationDurationInstrument"/>.</summary>
    public const string AttemptsInstrument = "licenseclient.operation.attempts";

    /// <summary>
    /// A counter of retries, each counted when it is decided; tagged with <c>licenseclient.operation</c>,
    /// <c>error.type</c> (what the retried attempt failed with) and <c>server.address</c>.
    /// </summary>
    public const string RetriesInstrument = "licenseclient.operation.retries";
}
