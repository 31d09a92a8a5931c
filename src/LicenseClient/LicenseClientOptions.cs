using System;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Settings for <see cref="LicenseApiClient"/>. The client validates and copies them when it is
/// constructed: changing them afterwards has no effect on that client.
/// </summary>
/// <remarks>
/// Credentials: set <see cref="ApiKey"/> and <see cref="SharedKey"/>, or a custom <see cref="Signer"/>
/// (which wins over them).
/// </remarks>
public sealed class LicenseClientOptions
{
    private Uri _baseAddress = DefaultBaseAddress;
    private IClock _clock = SystemClock.Instance;

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

    /// <summary>
    /// Describes what is wrong with the credentials, or returns <see langword="null"/> when they can
    /// sign requests.
    /// </summary>
    internal string? FindCredentialProblem()
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

    /// <summary>How a message names a setting: its configuration key when bound, else its property.</summary>
    internal string Setting(string key)
        => ConfigurationPath is null
            ? "LicenseClientOptions." + key
            : $"configuration key '{(ConfigurationPath.Length == 0 ? key : ConfigurationPath + ":" + key)}'";

    /// <summary>The signer these options describe.</summary>
    /// <exception cref="InvalidOperationException">The credentials are missing or incomplete.</exception>
    internal IRequestSigner CreateSigner()
    {
        string? problem = FindCredentialProblem();
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        return Signer ?? new ApiKeySigner(ApiKey!, SharedKey!);
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
