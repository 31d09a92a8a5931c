using System;
using System.Globalization;
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
    private IClock _clock = SystemClock.Instance;
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

    /// <summary>Signs every request. When set, it wins over <see cref="ApiKey"/> and <see cref="SharedKey"/>.</summary>
    public IRequestSigner? Signer { get; set; }

    /// <summary>The company's API key; with <see cref="SharedKey"/> it builds an <see cref="ApiKeySigner"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The shared key that signs requests made with <see cref="ApiKey"/>. It is never sent or logged.</summary>
    public string? SharedKey { get; set; }

    /// <summary>The clock that dates and signs requests. Defaults to <see cref="SystemClock.Instance"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IClock Clock
    {
        get => _clock;
        set => _clock = value ?? throw new ArgumentNullException(nameof(value));
    }

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
        => FindCredentialProblem() ?? Retry.FindProblem(name => Setting(nameof(Retry) + "." + name));

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

        bool hasApiKey = !string.IsNullOrWhiteSpace(ApiKey);
        bool hasSharedKey = !string.IsNullOrWhiteSpace(SharedKey);
        string apiKey = Setting(nameof(ApiKey));
        string sharedKey = Setting(nameof(SharedKey));
        if (!hasApiKey && !hasSharedKey)
        {
            return $"No credentials are set: set {apiKey} and {sharedKey}, or LicenseClientOptions.Signer.";
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

    /// <summary>The signer these options describe.</summary>
    /// <exception cref="InvalidOperationException">The options are incomplete or inconsistent.</exception>
    internal IRequestSigner CreateSigner()
    {
        string? problem = FindProblem();
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        return Signer ?? new ApiKeySigner(ApiKey!, SharedKey!);
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
