using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>
/// A local, stateful License API on loopback for tests and samples: <c>POST api/v4/floating/borrow</c>,
/// <c>POST api/v4/floating/release</c>, <c>POST api/v4/floating/feature_borrow</c> and
/// <c>POST api/v4/floating/feature_release</c>, with the API's authorization checks, error codes and seat
/// accounting (a license's seats, and each floating feature's seats apart from them), and answers signed
/// (<c>LicenseSignature</c>) with a key of its own. Answer bodies are compact JSON written as JavaScript's
/// <c>JSON.stringify</c> writes it, so the signature verifies both over the raw bytes (as the Python and Go SDKs
/// check it) and over <c>JSON.stringify</c> of the parsed body (as the Node SDK does).
/// </summary>
/// <remarks>
/// <para>
/// The <c>Date</c> header may take any of the three forms RFC 7231 (section 7.1.1.1) tells servers to accept,
/// in GMT: <c>Sun, 06 Nov 1994 08:49:37 GMT</c> (the IMF-fixdate every official SDK sends),
/// <c>Sunday, 06-Nov-94 08:49:37 GMT</c> and <c>Sun Nov  6 08:49:37 1994</c>; the License API documents an
/// "RFC7231 GMT date string". A date more than 15 minutes from the server's time is <c>date_header_diff</c>. The
/// documentation speaks only of dates up to 15 minutes <em>old</em>; the emulator refuses a date more than
/// 15 minutes in the future too, so a signed request cannot be kept and replayed later.
/// </para>
/// <para>
/// A path the License API does not have is <c>not_found</c> (404); a body that is not JSON is
/// <c>invalid_json</c>; a body over 1 MiB is <c>payload_too_large</c> (413).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var emulator = await LicenseApiEmulator.StartAsync();
/// using var client = new LicenseApiClient(emulator.CreateClientOptions());
/// BorrowedLicense borrowed = await client.BorrowAsync(
///     new BorrowRequest("demo", "my-machine", LicenseCredential.FromLicenseKey("DEMO-1111-2222-3333")));
/// </code>
/// </example>
public sealed class LicenseApiEmulator : IAsyncDisposable
{
    /// <summary>The borrow endpoint's path.</summary>
    public const string BorrowPath = "/api/v4/floating/borrow";

    /// <summary>The release endpoint's path.</summary>
    public const string ReleasePath = "/api/v4/floating/release";

    /// <summary>
    /// The feature borrow endpoint's path: a borrow's body plus <c>feature</c>, for a seat of a floating feature
    /// of the license (<see cref="EmulatedLicense.Features"/>), with the feature's seats and maximum borrow time.
    /// Unlike a license borrow it does not check <see cref="EmulatedLicense.CanBorrow"/>
    /// (<c>license_borrow_not_allowed</c>).
    /// </summary>
    public const string FeatureBorrowPath = "/api/v4/floating/feature_borrow";

    /// <summary>
    /// The feature release endpoint's path: a release's body plus <c>feature</c>; a device that holds no seat of
    /// the feature gets <c>floating_feature_device_not_in_use</c>.
    /// </summary>
    public const string FeatureReleasePath = "/api/v4/floating/feature_release";

    /// <summary>
    /// The path under which the control endpoints answer, when <see cref="EmulatorOptions.EnableControl"/> is on:
    /// <c>GET /_emulator/state</c>, <c>POST /_emulator/faults</c>, <c>DELETE /_emulator/faults</c>,
    /// <c>POST /_emulator/clock</c> and <c>POST /_emulator/reset</c>. The License API has no such path.
    /// </summary>
    public const string ControlPath = "/_emulator";

    /// <summary>The largest request body the emulator reads: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>How many of the latest requests <see cref="RequestPaths"/> keeps: 10,000.</summary>
    public const int RequestPathsKept = 10_000;

    private readonly WebApplication _app;
    private readonly RSA _signingKey;
    private readonly HmacAuthorization _authorization;
    private readonly EmulatorSeed _seed;
    private readonly bool _autoActivateDevices;
    private readonly EmulatorControl? _control;
    private readonly IClock _clock;
    private readonly Dictionary<string, Func<JsonElement, Instant, Answer>> _endpoints;

    private readonly Queue<string> _requestPaths = new();

    private FloatingLicenses _licenses;
    private long _clockOffsetTicks;
    private int _requestCount;

    private LicenseApiEmulator(EmulatorOptions options, WebApplication app)
    {
        _app = app;
        _clock = options.Clock;
        ApiKey = options.ApiKey;
        SharedKey = options.SharedKey;
        _signingKey = RSA.Create(2048);
        PublicKeyPem = _signingKey.ExportSubjectPublicKeyInfoPem();
        _authorization = new HmacAuthorization(options.ApiKey, options.SharedKey);
        _seed = options.Seed ?? EmulatorSeed.Demo();
        _autoActivateDevices = options.AutoActivateDevices;
        _licenses = new FloatingLicenses(_seed, _autoActivateDevices);
        _control = options.EnableControl ? new EmulatorControl(this) : null;
        _endpoints = new Dictionary<string, Func<JsonElement, Instant, Answer>>(StringComparer.OrdinalIgnoreCase)
        {
            [BorrowPath] = (body, now) => Licenses.Borrow(body, now),
            [ReleasePath] = (body, now) => Licenses.Release(body, now),
            [FeatureBorrowPath] = (body, now) => Licenses.FeatureBorrow(body, now),
            [FeatureReleasePath] = (body, now) => Licenses.FeatureRelease(body, now),
        };
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    /// <summary>The address to use as <c>LicenseClientOptions.BaseAddress</c>, such as <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The API key requests must be signed with.</summary>
    public string ApiKey { get; }

    /// <summary>The shared key requests must be signed with.</summary>
    public string SharedKey { get; }

    /// <summary>
    /// The public key (SPKI PEM, <c>-----BEGIN PUBLIC KEY-----</c>) that verifies the <c>LicenseSignature</c>
    /// header of the emulator's answers. The key pair is new for each emulator.
    /// </summary>
    public string PublicKeyPem { get; }

    /// <summary>Switches that make the next answers fail, wait, drop the connection, or skew the server's clock.</summary>
    public EmulatorFaults Faults { get; } = new();

    /// <summary>
    /// The server's time now: the emulator's clock plus <see cref="EmulatorFaults.ClockSkew"/>. It dates answers
    /// and checks the <c>Date</c> headers of requests.
    /// </summary>
    public Instant Now => _clock.GetCurrentInstant() + Faults.ClockSkew;

    /// <summary>
    /// The time the licenses live in: <see cref="Now"/>, moved forward by the control endpoint
    /// <c>POST /_emulator/clock</c>. Borrows end, and licenses expire, by it.
    /// </summary>
    internal Instant LicenseNow => Now + Duration.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>The licenses and their seats, as seeded or since the last reset.</summary>
    internal FloatingLicenses Licenses => Volatile.Read(ref _licenses);

    /// <summary>Starts an emulator on loopback.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (a free port and the demo seed).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">The options name an API key or shared key that is blank, or a port out of range.</exception>
    public static async Task<LicenseApiEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SharedKey, nameof(options));
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"Port must be 0 (a free port) to {IPEndPoint.MaxPort}.", nameof(options));
        }

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        var emulator = new LicenseApiEmulator(options, app);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>
    /// Options for a <c>LicenseApiClient</c> that talks to this emulator: its address, keys, clock, and the
    /// public key that verifies its answers.
    /// </summary>
    public LicenseClientOptions CreateClientOptions() => new()
    {
        BaseAddress = BaseAddress,
        ApiKey = ApiKey,
        SharedKey = SharedKey,
        Clock = _clock,
        ServerPublicKey = PublicKeyPem,
    };

    /// <summary>
    /// How many requests to the License API's paths have arrived, whatever their answer (or none, for a dropped
    /// connection). Requests to the control endpoints are not counted.
    /// </summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>
    /// The paths of the latest requests to the License API's endpoints (<see cref="BorrowPath"/>, <see cref="ReleasePath"/>,
    /// <see cref="FeatureBorrowPath"/>, <see cref="FeatureReleasePath"/>), in the order they arrived, whatever their answer
    /// (or none, for a dropped connection): the last <see cref="RequestPathsKept"/>. A test counts the releases with it, or
    /// checks that a release arrived before a borrow. Requests to other paths and to the control endpoints are not listed;
    /// <see cref="Reset"/> keeps the list, as it keeps <see cref="RequestCount"/>.
    /// </summary>
    /// <returns>A copy, oldest first.</returns>
    public IReadOnlyList<string> RequestPaths()
    {
        lock (_requestPaths)
        {
            return _requestPaths.ToArray();
        }
    }

    /// <summary>How many of <see cref="RequestPaths"/> are <paramref name="path"/> (such as <see cref="ReleasePath"/>).</summary>
    /// <param name="path">One of the endpoint paths.</param>
    /// <returns>The count.</returns>
    public int RequestCountOf(string path) => RequestPaths().Count(p => string.Equals(p, path, StringComparison.OrdinalIgnoreCase));

    /// <summary>How many devices hold a seat of license <paramref name="licenseId"/> now.</summary>
    public int SeatsInUse(long licenseId) => Licenses.SeatsInUse(licenseId, LicenseNow);

    /// <summary>How many devices hold a seat of feature <paramref name="feature"/> of license <paramref name="licenseId"/> now.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="feature"/> is null.</exception>
    public int FeatureSeatsInUse(long licenseId, string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return Licenses.FeatureSeatsInUse(licenseId, feature, LicenseNow);
    }

    /// <summary>
    /// Goes back to the seed: every seat free, devices as seeded (device ids handed out anew), no pending fault,
    /// no clock skew, and the licenses' time back on the emulator's clock. <see cref="RequestCount"/> is kept.
    /// </summary>
    public void Reset()
    {
        Faults.Reset();
        Interlocked.Exchange(ref _clockOffsetTicks, 0);
        Volatile.Write(ref _licenses, new FloatingLicenses(_seed, _autoActivateDevices));
    }

    /// <summary>Moves the licenses' time forward by <paramref name="offset"/> (the control endpoint <c>POST /_emulator/clock</c>).</summary>
    internal void AdvanceLicenseClock(Duration offset) => Interlocked.Add(ref _clockOffsetTicks, offset.BclCompatibleTicks);

    /// <summary>Stops the emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _signingKey.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        if (_control is not null && IsControlPath(path))
        {
            await _control.HandleAsync(context, path[ControlPath.Length..]).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _requestCount);
        RecordPath(path);
        Fault? fault = Faults.Next();
        if (fault is { Kind: FaultKind.Drop })
        {
            context.Abort();
            return;
        }

        if (fault is { Kind: FaultKind.Delay } delay)
        {
            try
            {
                await Task.Delay(delay.Time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Instant now = Now;
        context.Response.Headers.Date = now.ToDateTimeUtc().ToString("r", CultureInfo.InvariantCulture);
        if (fault is { Kind: FaultKind.Fail } failure)
        {
            await FailAsync(context, failure).ConfigureAwait(false);
            return;
        }

        Answer answer = await AnswerAsync(context, now).ConfigureAwait(false);
        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    /// <summary>Adds <paramref name="path"/> to <see cref="RequestPaths"/>, as the endpoint's own path, when it is one.</summary>
    private void RecordPath(string path)
    {
        if (_endpoints.Keys.FirstOrDefault(endpoint => string.Equals(endpoint, path, StringComparison.OrdinalIgnoreCase)) is not string known)
        {
            return;
        }

        lock (_requestPaths)
        {
            if (_requestPaths.Count == RequestPathsKept)
            {
                _requestPaths.Dequeue();
            }

            _requestPaths.Enqueue(known);
        }
    }

    private static bool IsControlPath(string path)
        => path.StartsWith(ControlPath, StringComparison.OrdinalIgnoreCase)
            && (path.Length == ControlPath.Length || path[ControlPath.Length] == '/');

    private async Task<Answer> AnswerAsync(HttpContext context, Instant now)
    {
        HttpRequest request = context.Request;
        if (!_endpoints.TryGetValue(request.Path.Value ?? "", out Func<JsonElement, Instant, Answer>? endpoint))
        {
            return Answer.Error(404, "not_found", "Requested API path doesn't exist");
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return Answer.Error(405, "method_not_allowed", "Method not allowed");
        }

        Answer? refused = _authorization.Check(request.Headers.Date.ToString(), request.Headers.Authorization.ToString(), now);
        if (refused is Answer authorizationError)
        {
            return authorizationError;
        }

        byte[]? body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return Answer.Error(413, "payload_too_large", $"The request body is larger than {MaxBodyBytes} bytes.");
        }

        JsonElement json;
        if (body.Length == 0)
        {
            // No body: the endpoint answers missing_parameters, as for a body that is not an object.
            json = default;
        }
        else
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Answer.BadRequest("invalid_json", "Provided request body is not valid JSON");
            }
        }

        return endpoint(json, LicenseNow);
    }

    /// <summary>The request's body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes the answer; a body is signed with the emulator's key in the <c>LicenseSignature</c> header.</summary>
    private async Task WriteAsync(HttpContext context, Answer answer)
    {
        HttpResponse response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.Body.Length == 0)
        {
            return;
        }

        response.ContentType = "application/json";
        response.ContentLength = answer.Body.Length;
        response.Headers["LicenseSignature"] = Convert.ToBase64String(
            _signingKey.SignData(answer.Body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task FailAsync(HttpContext context, Fault failure)
    {
        HttpResponse response = context.Response;
        response.StatusCode = failure.Status;
        response.ContentType = "text/plain; charset=utf-8";
        if (failure.SendRetryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(failure.Time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        byte[] text = Encoding.UTF8.GetBytes($"Emulated failure: HTTP {failure.Status}");
        await response.Body.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}
