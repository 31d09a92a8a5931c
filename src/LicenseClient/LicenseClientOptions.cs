using System;
using System.Globalization;
using LicenseClient.Internal;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Settings for <see cref="LicenseApiClient"/>. The client validates and copies them when it is
/// constructed: changing them afterwards has no effect on that client.
/// </summary>
/// <remarks>
/// Credentials: set <see cref="ApiKey"/> and <see cref="SharedKey"/>, or a custom <see cref="Signer"/>
/// (which wins over them). Reliability: <see cref="Retry"/>, <see cref="AttemptTimeout"/> and <see cref="Timeout"/>.
/// </remarks>
public sealed class LicenseClientOptions
{
    private Uri _baseAddress = DefaultBaseAddress;
    private Uri _tokenEndpoint = DefaultTokenEndpoint;
    private IClock? _clock;
    private TimeProvider _timeProvider = TimeProvider.System;
    private TimeSpan _attemptTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _timeout = TimeSpan.FromSeconds(30);

    /// <summary>The shortest timeout the client can keep.</summary>
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest finite timeout the client can keep.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>The License API's production address, <c>https://api.licensespring.com/</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.licensespring.com/");

    /// <summary>
    /// The address the endpoint paths (such as <c>api/v4/floating/borrow</c>) are appended to.
    /// Defaults to <see cref="DefaultBaseAddress"/>. A path without a trailing slash is treated as if it had one.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not an absolute <c>http</c> or <c>https</c> URI.</exception>
    public Uri BaseAddress
    {
        get => _baseAddress;
        set => _baseAddress = CheckBaseAddress(value, nameof(value));
    }

    /// <summary>The License API's OAuth token endpoint, the default <see cref="TokenEndpoint"/>.</summary>
    public static Uri DefaultTokenEndpoint { get; } = new("https://auth.licensespring.com/realms/user-portal/protocol/openid-connect/token");

    /// <summary>Signs every request. When set, it wins over <see cref="ApiKey"/> and <see cref="SharedKey"/>, and over <see cref="ClientId"/> and <see cref="ClientSecret"/>.</summary>
    public IRequestSigner? Signer { get; set; }

    /// <summary>The company's API key; with <see cref="SharedKey"/> it builds an <see cref="ApiKeySigner"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The shared key that signs requests made with <see cref="ApiKey"/>. It is never sent or logged.</summary>
    public string? SharedKey { get; set; }

    /// <summary>
    /// The OAuth client id; with <see cref="ClientSecret"/> it builds an <see cref="OAuthClientCredentialsSigner"/>
    /// that sends <c>Authorization: Bearer</c> tokens instead of API-key signatures.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth client secret that goes with <see cref="ClientId"/>. It is sent only to <see cref="TokenEndpoint"/>, and never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Where OAuth tokens are requested. Defaults to <see cref="DefaultTokenEndpoint"/>. It must be <c>https</c>,
    /// unless it is a loopback address.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not an absolute <c>http</c> or <c>https</c> URI.</exception>
    public Uri TokenEndpoint
    {
        get => _tokenEndpoint;
        set => _tokenEndpoint = value is null
            ? throw new ArgumentNullException(nameof(value), "TokenEndpoint must not be null.")
            : value.IsAbsoluteUri && (value.Scheme == Uri.UriSchemeHttps || value.Scheme == Uri.UriSchemeHttp)
                ? value
                : throw new ArgumentException("TokenEndpoint must be an absolute https URI.", nameof(value));
    }

    /// <summary>
    /// Whether the <c>LicenseSignature</c> header of every successful answer is checked against
    /// <see cref="ServerPublicKey"/> before the answer is used. Defaults to <see langword="true"/>: turn it off
    /// only for a server that does not sign its answers.
    /// </summary>
    public bool VerifyResponseSignatures { get; set; } = true;

    /// <summary>
    /// The public key (PEM, <c>-----BEGIN PUBLIC KEY-----</c>) that verifies answers. <see langword="null"/> (the
    /// default) means the License API's production key, which the package embeds. Set it when
    /// <see cref="BaseAddress"/> names another server, such as the local emulator (its <c>PublicKeyPem</c>).
    /// </summary>
    public string? ServerPublicKey { get; set; }

    /// <summary>
    /// The clock that dates and signs requests, and times OAuth tokens. Defaults to <see cref="SystemClock.Instance"/>;
    /// when it is not set but <see cref="TimeProvider"/> is, the client reads the time from that provider, so one fake
    /// time source drives both.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IClock Clock
    {
        get => _clock ?? SystemClock.Instance;
        set => _clock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The clock the client uses: <see cref="Clock"/> when set, else one over <see cref="TimeProvider"/> when that is not the system's.</summary>
    internal IClock EffectiveClock
        => _clock ?? (ReferenceEquals(_timeProvider, TimeProvider.System) ? SystemClock.Instance : new TimeProviderClock(_timeProvider));

    /// <summary>
    /// How time passes for the client: the waits between retries and the attempt and call timeouts run on it.
    /// Defaults to <see cref="System.TimeProvider.System"/>. When <see cref="Clock"/> is not set, the client also
    /// dates its requests by this provider. Tests can set a fake one (such as <c>FakeTimeProvider</c>) to drive
    /// retries and timeouts without waiting.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The source of the backoff's jitter, a number in [0, 1) for each wait; tests set a fixed one so the waits
    /// are known. Defaults to a shared random generator.
    /// </summary>
    internal Func<double> Random { get; set; } = Jitter.Next;

    /// <summary>
    /// Where the client keeps a <see cref="BorrowReceipt"/> of every successful borrow and feature borrow, so the
    /// application can check it with no network after a restart (see <see cref="BorrowReceiptChecker"/>). A borrow whose
    /// receipt cannot be saved throws <see cref="ReceiptNotSavedException"/>, which carries the granted result. A release
    /// deletes the receipt before it is sent (a release means the application stops using the seat); when the receipt
    /// cannot be deleted, nothing is sent (<see cref="LicenseErrorCodes.ReceiptNotDeleted"/>).
    /// <see langword="null"/> (the default): nothing is written.
    /// </summary>
    public IBorrowReceiptStore? ReceiptStore { get; set; }

    /// <summary>
    /// Where the client logs: failed attempts and calls, clock corrections, OAuth token renewals, refused signatures,
    /// receipts and seats (event ids in <see cref="LicenseClientEventIds"/>, category
    /// <see cref="LicenseClientDiagnostics.LoggerCategory"/>). Nothing secret is logged; hardware ids at debug level only.
    /// <see langword="null"/> (the default): nowhere, or, when the client is registered with <c>AddLicenseClient</c>, the
    /// container's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Whether the client's metrics carry the product code (<c>licenseclient.product</c>). Off by default: a tag's every
    /// value makes a time series of its own, so only an application with a few products should turn it on. Spans always
    /// carry the product.
    /// </summary>
    public bool IncludeProductInMetrics { get; set; }

    /// <summary>How failed calls are retried: how often, and how long to wait in between.</summary>
    public LicenseRetryOptions Retry { get; } = new();

    /// <summary>
    /// How long one attempt may take, from sending the request to reading the whole answer, before it is
    /// abandoned (and retried, as <see cref="Retry"/> allows). Defaults to 10 seconds.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns the limit off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 10 milliseconds and 1 day, nor infinite.</exception>
    public TimeSpan AttemptTimeout
    {
        get => _attemptTimeout;
        set => _attemptTimeout = CheckTimeout(value, nameof(AttemptTimeout));
    }

    /// <summary>
    /// How long a whole call may take, retries and the waits between them included, before it fails with
    /// <see cref="LicenseErrorCodes.Timeout"/>. Defaults to 30 seconds.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns the limit off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 10 milliseconds and 1 day, nor infinite.</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = CheckTimeout(value, nameof(Timeout));
    }

    /// <summary>
    /// Describes what is wrong with the options, or returns <see langword="null"/> when a client can be
    /// built from them.
    /// </summary>
    internal string? FindProblem()
    {
        string? problem = FindProblem(buildVerifier: false, out Security.ResponseSignatureVerifier? verifier);
        verifier?.Dispose();
        return problem;
    }

    /// <summary>
    /// <see cref="FindProblem()"/>; when there is none and <paramref name="buildVerifier"/>, also the verifier of the
    /// server's answers (<see langword="null"/> when they are not verified), its key parsed and imported once, here.
    /// </summary>
    private string? FindProblem(bool buildVerifier, out Security.ResponseSignatureVerifier? verifier)
    {
        verifier = null;
        string? problem = FindTransportProblem()
            ?? FindCredentialProblem()
            ?? FindSignatureProblem(buildVerifier, out verifier)
            ?? Retry.FindProblem(name => Setting(nameof(Retry) + "." + name));
        if (problem is not null)
        {
            verifier?.Dispose();
            verifier = null;
        }

        return problem;
    }

    /// <summary>Whether <paramref name="address"/> may be used: <c>https</c>, or <c>http</c> to a loopback host.</summary>
    internal static bool IsSafe(Uri address) => address.Scheme == Uri.UriSchemeHttps || address.IsLoopback;

    /// <summary>An address's scheme, host and port, without any user name or password it holds.</summary>
    private static string Origin(Uri address) => address.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port, UriFormat.UriEscaped);

    /// <summary>Every address must be <c>https</c>, except loopback ones (the emulator, tests).</summary>
    private string? FindTransportProblem()
    {
        const string Rule = "must use https; http is allowed only for loopback addresses such as 127.0.0.1 or localhost";
        if (!IsSafe(BaseAddress))
        {
            return $"{Setting(nameof(BaseAddress))} ({Origin(BaseAddress)}) {Rule}.";
        }

        return IsOAuth && !IsSafe(TokenEndpoint)
            ? $"{Setting(nameof(TokenEndpoint))} ({Origin(TokenEndpoint)}) {Rule}."
            : null;
    }

    /// <summary>Whether the options describe OAuth client credentials (rather than an API key).</summary>
    private bool IsOAuth => Signer is null && (!string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret));

    /// <summary>
    /// Another server needs its own key; a key must be readable. The key is checked by importing it into the
    /// verifier, which is kept when <paramref name="buildVerifier"/> (and disposed otherwise).
    /// </summary>
    private string? FindSignatureProblem(bool buildVerifier, out Security.ResponseSignatureVerifier? verifier)
    {
        verifier = null;
        if (!VerifyResponseSignatures)
        {
            return null;
        }

        if (ServerPublicKey is null)
        {
            if (BaseAddress != DefaultBaseAddress)
            {
                return $"{Setting(nameof(BaseAddress))} is not the License API's production address, so its answers cannot be verified with the production key: "
                    + $"set {Setting(nameof(ServerPublicKey))} to that server's public key (PEM), such as the emulator's PublicKeyPem.";
            }

            verifier = buildVerifier ? new Security.ResponseSignatureVerifier(Security.PublicKeyPem.Parse(Security.ProductionKey.Pem)) : null;
            return null;
        }

        try
        {
            var imported = new Security.ResponseSignatureVerifier(Security.PublicKeyPem.Parse(ServerPublicKey));
            if (buildVerifier)
            {
                verifier = imported;
            }
            else
            {
                imported.Dispose();
            }

            return null;
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return $"{Setting(nameof(ServerPublicKey))} is not an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----): {ex.Message}";
        }
    }

    /// <summary>
    /// Describes what is wrong with the credentials, or returns <see langword="null"/> when they can
    /// sign requests.
    /// </summary>
    private string? FindCredentialProblem()
    {
        if (Signer is not null)
        {
            return null;
        }

        if (IsOAuth)
        {
            return FindOAuthProblem();
        }

        bool hasApiKey = !string.IsNullOrWhiteSpace(ApiKey);
        bool hasSharedKey = !string.IsNullOrWhiteSpace(SharedKey);
        string apiKey = Setting(nameof(ApiKey));
        string sharedKey = Setting(nameof(SharedKey));
        if (!hasApiKey && !hasSharedKey)
        {
            return $"No credentials are set: set {apiKey} and {sharedKey}, or {Setting(nameof(ClientId))} and {Setting(nameof(ClientSecret))}, or LicenseClientOptions.Signer.";
        }

        if (!hasSharedKey)
        {
            return $"{apiKey} is set but {sharedKey} is not: set both, or set LicenseClientOptions.Signer.";
        }

        if (!hasApiKey)
        {
            return $"{sharedKey} is set but {apiKey} is not: set both, or set LicenseClientOptions.Signer.";
        }

        try
        {
            _ = new ApiKeySigner(ApiKey!, SharedKey!);
            return null;
        }
        catch (ArgumentException)
        {
            return $"{apiKey} may hold only visible ASCII characters other than quotes and backslashes.";
        }
    }

    private string? FindOAuthProblem()
    {
        string clientId = Setting(nameof(ClientId));
        string clientSecret = Setting(nameof(ClientSecret));
        if (!string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(SharedKey))
        {
            return $"Both an API key and OAuth client credentials are set: set {Setting(nameof(ApiKey))} and {Setting(nameof(SharedKey))}, or {clientId} and {clientSecret}, not both.";
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            return $"{clientId} is set but {clientSecret} is not: set both.";
        }

        return string.IsNullOrWhiteSpace(ClientId) ? $"{clientSecret} is set but {clientId} is not: set both." : null;
    }

    /// <summary>
    /// The configuration section these options were read from, when they were; messages then name
    /// configuration keys rather than properties.
    /// </summary>
    internal string? ConfigurationPath { get; set; }

    /// <summary>
    /// How a message names a setting (<c>Retry.MaxDelay</c>, say): its configuration key when bound, else
    /// its property.
    /// </summary>
    internal string Setting(string key)
    {
        if (ConfigurationPath is null)
        {
            return "LicenseClientOptions." + key;
        }

        string configurationKey = key.Replace('.', ':');
        return $"configuration key '{(ConfigurationPath.Length == 0 ? configurationKey : ConfigurationPath + ":" + configurationKey)}'";
    }

    /// <summary>
    /// Validates the options and builds what a client signs requests with and verifies answers with
    /// (<paramref name="verifier"/>, <see langword="null"/> when answers are not verified). An OAuth signer built here
    /// logs its tokens' renewals (never the tokens) to <paramref name="logger"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are incomplete or inconsistent.</exception>
    internal IRequestSigner CreateSigner(Microsoft.Extensions.Logging.ILogger logger, out Security.ResponseSignatureVerifier? verifier)
    {
        string? problem = FindProblem(buildVerifier: true, out verifier);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        return Signer
            ?? (IsOAuth
                ? new OAuthClientCredentialsSigner(ClientId!, ClientSecret!, TokenEndpoint, httpClient: null, EffectiveClock) { Logger = logger }
                : new ApiKeySigner(ApiKey!, SharedKey!));
    }

    private static TimeSpan CheckTimeout(TimeSpan value, string name)
    {
        if (value == System.Threading.Timeout.InfiniteTimeSpan || (value >= MinTimeout && value <= MaxTimeout))
        {
            return value;
        }

        throw new ArgumentOutOfRangeException(
            nameof(value),
            value,
            string.Format(CultureInfo.InvariantCulture, "{0} must be between 10 milliseconds and 1 day, or Timeout.InfiniteTimeSpan.", name));
    }

    private static Uri CheckBaseAddress(Uri? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, "BaseAddress must not be null.");
        }

        if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("BaseAddress must be an absolute http or https URI, such as https://api.licensespring.com/.", paramName);
        }

        if (!string.IsNullOrEmpty(value.Query) || !string.IsNullOrEmpty(value.Fragment))
        {
            throw new ArgumentException("BaseAddress must not have a query or a fragment.", paramName);
        }

        return value.AbsolutePath.EndsWith("/", StringComparison.Ordinal)
            ? value
            : new Uri(value.AbsoluteUri + "/");
    }
}
