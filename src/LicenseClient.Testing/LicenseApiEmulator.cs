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
/// (<c>LicenseSignature</c>) with a key of its own.
/// </summary>
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

    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly RSA _signingKey;
    private readonly HmacAuthorization _authorization;
    private readonly FloatingLicenses _licenses;
    private readonly IClock _clock;
    private readonly Dictionary<string, Func<JsonElement, Instant, Answer>> _endpoints;

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
        _licenses = new FloatingLicenses(options.Seed ?? EmulatorSeed.Demo());
        _endpoints = new Dictionary<string, Func<JsonElement, Instant, Answer>>(StringComparer.OrdinalIgnoreCase)
        {
            [BorrowPath] = _licenses.Borrow,
            [ReleasePath] = _licenses.Release,
            [FeatureBorrowPath] = _licenses.FeatureBorrow,
            [FeatureReleasePath] = _licenses.FeatureRelease,
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

    /// <summary>The server's time now: the emulator's clock plus <see cref="EmulatorFaults.ClockSkew"/>.</summary>
    public Instant Now => _clock.GetCurrentInstant() + Faults.ClockSkew;

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

    /// <summary>How many requests have arrived, whatever their answer (or none, for a dropped connection).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>How many devices hold a seat of license <paramref name="licenseId"/> now.</summary>
    public int SeatsInUse(long licenseId) => _licenses.SeatsInUse(licenseId, Now);

    /// <summary>How many devices hold a seat of feature <paramref name="feature"/> of license <paramref name="licenseId"/> now.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="feature"/> is null.</exception>
    public int FeatureSeatsInUse(long licenseId, string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return _licenses.FeatureSeatsInUse(licenseId, feature, Now);
    }

    /// <summary>Stops the emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _signingKey.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
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

    private async Task<Answer> AnswerAsync(HttpContext context, Instant now)
    {
        HttpRequest request = context.Request;
        if (!_endpoints.TryGetValue(request.Path.Value ?? "", out Func<JsonElement, Instant, Answer>? endpoint))
        {
            return Answer.Error(404, "not_found", "Not found");
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

        byte[] body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        JsonElement json;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint answers as for a body that is not an object.
            json = default;
        }

        return endpoint(json, now);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return [];
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
