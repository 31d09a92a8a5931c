using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LicenseClient;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace LicenseClient.AotCanary;

/// <summary>
/// Borrows from a loopback server and releases the seat, and checks the request bodies and the parsed answer; then
/// keeps the borrow's receipt in a file store, reads it back and checks it offline. An ActivityListener, a MeterListener
/// and a logger of its own watch the borrow, and must see its span, its measurements and its log message. Exits 0 and
/// prints "canary ok" when all are right.
/// </summary>
internal static class Program
{
    private const string Answer = "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":1.5,\"device_id\":11,\"license_id\":22}";

    private static async Task<int> Main()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var key = RSA.Create(2048);
        string signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(Answer), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Task<string> received = ServeOnceAsync(listener, $"Content-Type: application/json\r\nLicenseSignature: {signature}\r\n", Answer);

        var options = new LicenseClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"),
            ApiKey = "canary-key",
            SharedKey = "canary-shared-key",
            ServerPublicKey = key.ExportSubjectPublicKeyInfoPem(),
            LoggerFactory = new RecordingLoggerFactory(),
        };
        using var telemetry = new TelemetryWatch();
        using var client = new LicenseApiClient(options);
        BorrowedLicense borrowed = await client.BorrowAsync(
            new BorrowRequest("product", "hardware", LicenseCredential.FromUser("ann", "pw")) { LicenseId = 22 });
        string body = await received;
        Task<string> releaseReceived = ServeOnceAsync(listener, "", "");
        await client.ReleaseAsync(new ReleaseRequest("product", "hardware", LicenseCredential.FromUser("ann", "pw")));
        string releaseBody = await releaseReceived;

        var expected = new BorrowedLicense(Instant.FromUtc(2030, 1, 2, 3, 4, 5), Duration.FromMinutes(90), 11, 22);
        bool bodyOk = body.StartsWith(
            "{\"product\":\"product\",\"hardware_id\":\"hardware\",\"borrowed_until\":null,\"username\":\"ann\",\"password\":\"pw\",\"license_id\":22,\"sdk_ver\":\"LicenseClient/",
            StringComparison.Ordinal);
        bool releaseOk = releaseBody.StartsWith("{\"product\":\"product\",\"hardware_id\":\"hardware\",\"username\":\"ann\",\"sdk_ver\":\"LicenseClient/", StringComparison.Ordinal);
        if (!bodyOk || !releaseOk || borrowed != expected)
        {
            Console.Error.WriteLine($"canary failed: body {body}; release body {releaseBody}; result {borrowed}");
            return 1;
        }

        string? telemetryFailure = telemetry.Check((RecordingLoggerFactory)options.LoggerFactory);
        if (telemetryFailure is not null)
        {
            Console.Error.WriteLine($"canary failed: {telemetryFailure}");
            return 1;
        }

        ReceiptCheck check = await CheckReceiptOfflineAsync(borrowed.Receipt!, key.ExportSubjectPublicKeyInfoPem());
        if (!check.IsValid || check.BorrowedUntil != expected.BorrowedUntil)
        {
            Console.Error.WriteLine($"canary failed: receipt check {check}");
            return 1;
        }

        Console.WriteLine("canary ok");
        return 0;
    }

    /// <summary>Saves the receipt to a file store, reads it back through its JSON document, and checks it at a fixed time.</summary>
    private static async Task<ReceiptCheck> CheckReceiptOfflineAsync(BorrowReceipt receipt, string serverPublicKey)
    {
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "licenseclient-canary-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new FileBorrowReceiptStore(folder);
            await store.SaveAsync(BorrowReceipt.Parse(receipt.ToJson()));
            var checker = new BorrowReceiptChecker(serverPublicKey, new FixedClock(Instant.FromUtc(2030, 1, 2, 3, 0, 0)));
            return await checker.CheckStoredAsync(store, receipt.Product, "hardware");
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Listens to the client's ActivitySource and Meter, and keeps the spans that end and every measurement.</summary>
    private sealed class TelemetryWatch : IDisposable
    {
        private readonly ActivityListener _spans;
        private readonly MeterListener _measurements = new();
        private readonly ConcurrentQueue<Activity> _ended = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, string? Operation)> _measured = new();

        public TelemetryWatch()
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LicenseClientDiagnostics.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ended.Enqueue,
            };
            ActivitySource.AddActivityListener(_spans);
            _measurements.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LicenseClientDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _measurements.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measured.Enqueue((instrument.Name, value, OperationOf(tags))));
            _measurements.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measured.Enqueue((instrument.Name, value, OperationOf(tags))));
            _measurements.Start();
        }

        /// <summary>Null when the borrow's span, duration, attempt and debug log message all arrived; otherwise what is missing.</summary>
        public string? Check(RecordingLoggerFactory logs)
        {
            Activity? borrow = _ended.FirstOrDefault(span => span.DisplayName == "LicenseApiClient.Borrow");
            if (borrow is null || borrow.GetTagItem("licenseclient.attempts") is not 1 || borrow.Status != ActivityStatusCode.Unset)
            {
                return $"no borrow span with one attempt; spans: {string.Join(", ", _ended.Select(span => span.DisplayName))}";
            }

            bool duration = _measured.Any(m => m.Instrument == LicenseClientDiagnostics.OperationDurationInstrument && m.Operation == "borrow" && m.Value > 0);
            bool attempts = _measured.Any(m => m.Instrument == LicenseClientDiagnostics.AttemptsInstrument && m.Operation == "borrow" && m.Value == 1);
            if (!duration || !attempts)
            {
                return $"the borrow's measurements are missing: {string.Join(", ", _measured.Select(m => $"{m.Instrument} {m.Operation} {m.Value}"))}";
            }

            string? starting = logs.Lines.FirstOrDefault(line => line.StartsWith($"{LicenseClientDiagnostics.LoggerCategory} Debug {LicenseClientEventIds.CallStarting}: borrow of product", StringComparison.Ordinal));
            return starting is null ? $"no debug message of the borrow's start; log: {string.Join(" | ", logs.Lines)}" : null;
        }

        public void Dispose()
        {
            _spans.Dispose();
            _measurements.Dispose();
        }

        private static string? OperationOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "licenseclient.operation")
                {
                    return tag.Value as string;
                }
            }

            return null;
        }
    }

    /// <summary>A logger factory of one logger that keeps every message, formatted, at every level.</summary>
    private sealed class RecordingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The canary's logger factory has its one logger.");

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => lines.Enqueue($"{category} {logLevel} {eventId.Id}: {formatter(state, exception)}");
        }
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    /// <summary>Answers one HTTP request with status 200, <paramref name="headers"/> and <paramref name="answer"/>, and returns the request's body.</summary>
    private static async Task<string> ServeOnceAsync(TcpListener listener, string headers, string answer)
    {
        using TcpClient connection = await listener.AcceptTcpClientAsync();
        NetworkStream stream = connection.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[8192];
        int headerEnd;
        int contentLength = -1;
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return request.ToString();
            }

            request.Append(Encoding.UTF8.GetString(buffer, 0, read));
            string text = request.ToString();
            headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }

            if (contentLength < 0)
            {
                foreach (string line in text[..headerEnd].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }

            if (Encoding.UTF8.GetByteCount(text[(headerEnd + 4)..]) >= contentLength)
            {
                break;
            }
        }

        byte[] response = Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\n{headers}Content-Length: {Encoding.UTF8.GetByteCount(answer)}\r\nConnection: close\r\n\r\n{answer}");
        await stream.WriteAsync(response);
        return request.ToString()[(headerEnd + 4)..];
    }
}
