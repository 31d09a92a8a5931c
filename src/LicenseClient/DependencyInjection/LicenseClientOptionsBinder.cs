using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LicenseClient.DependencyInjection;

/// <summary>
/// Reads <see cref="LicenseClientOptions"/> from configuration by key, without the reflection-based
/// binder (so trimming and NativeAOT stay possible). A bad value is reported with its full key.
/// </summary>
internal static class LicenseClientOptionsBinder
{
    public static void Bind(IConfiguration configuration, LicenseClientOptions options)
    {
        options.ConfigurationPath = configuration is IConfigurationSection section ? section.Path : "";
        string? baseAddress = configuration[nameof(LicenseClientOptions.BaseAddress)];
        if (!string.IsNullOrWhiteSpace(baseAddress))
        {
            try
            {
                options.BaseAddress = new Uri(baseAddress, UriKind.Absolute);
            }
            catch (Exception ex) when (ex is UriFormatException or ArgumentException)
            {
                throw Invalid(options, nameof(LicenseClientOptions.BaseAddress), "an absolute http or https URI without a query, such as https://api.licensespring.com/");
            }
        }

        options.ApiKey = configuration[nameof(LicenseClientOptions.ApiKey)] ?? options.ApiKey;
        options.SharedKey = configuration[nameof(LicenseClientOptions.SharedKey)] ?? options.SharedKey;
        options.ClientId = configuration[nameof(LicenseClientOptions.ClientId)] ?? options.ClientId;
        options.ClientSecret = configuration[nameof(LicenseClientOptions.ClientSecret)] ?? options.ClientSecret;
        options.ServerPublicKey = configuration[nameof(LicenseClientOptions.ServerPublicKey)] ?? options.ServerPublicKey;
        Bind<Uri>(configuration, options, nameof(LicenseClientOptions.TokenEndpoint), "an absolute https URI", TryParseUri, value => options.TokenEndpoint = value);
        Bind<bool>(configuration, options, nameof(LicenseClientOptions.VerifyResponseSignatures), "true or false", bool.TryParse, value => options.VerifyResponseSignatures = value);
        Bind<bool>(configuration, options, nameof(LicenseClientOptions.IncludeProductInMetrics), "true or false", bool.TryParse, value => options.IncludeProductInMetrics = value);

        const string Timeout = "between 00:00:00.010 and 1.00:00:00, or -00:00:00.001 for none";
        const string Delay = "a duration from 00:00:00 to 1.00:00:00, such as 00:00:00.800";
        BindTimeSpan(configuration, options, nameof(LicenseClientOptions.AttemptTimeout), Timeout, value => options.AttemptTimeout = value);
        BindTimeSpan(configuration, options, nameof(LicenseClientOptions.Timeout), Timeout, value => options.Timeout = value);

        LicenseRetryOptions retry = options.Retry;
        string maxRetries = nameof(LicenseClientOptions.Retry) + "." + nameof(LicenseRetryOptions.MaxRetries);
        Bind<int>(configuration, options, maxRetries, "a whole number of 0 or more", TryParseInt, value => retry.MaxRetries = value);
        BindTimeSpan(configuration, options, nameof(LicenseClientOptions.Retry) + "." + nameof(LicenseRetryOptions.BaseDelay), Delay, value => retry.BaseDelay = value);
        BindTimeSpan(configuration, options, nameof(LicenseClientOptions.Retry) + "." + nameof(LicenseRetryOptions.MaxDelay), Delay, value => retry.MaxDelay = value);
        BindTimeSpan(configuration, options, nameof(LicenseClientOptions.Retry) + "." + nameof(LicenseRetryOptions.MaxRetryAfter), Delay, value => retry.MaxRetryAfter = value);
    }

    private static void BindTimeSpan(IConfiguration configuration, LicenseClientOptions options, string key, string expected, Action<TimeSpan> set)
        => Bind(configuration, options, key, expected, TryParseTimeSpan, set);

    /// <summary>Sets the value at <paramref name="key"/> (<c>Retry.MaxDelay</c>, say) when there is one.</summary>
    private static void Bind<T>(IConfiguration configuration, LicenseClientOptions options, string key, string expected, TryParse<T> parse, Action<T> set)
    {
        string? text = configuration[key.Replace('.', ':')];
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (!parse(text!.Trim(), out T value))
        {
            throw Invalid(options, key, expected);
        }

        try
        {
            set(value);
        }
        catch (ArgumentException)
        {
            throw Invalid(options, key, expected);
        }
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static bool TryParseInt(string text, out int value)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryParseUri(string text, out Uri value)
        => Uri.TryCreate(text, UriKind.Absolute, out value!);

    /// <summary>A duration such as <c>00:00:30</c>; a bare number (which would mean days) is refused.</summary>
    private static bool TryParseTimeSpan(string text, out TimeSpan value)
    {
        value = default;
        return text.IndexOf(':') >= 0 && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static OptionsValidationException Invalid(LicenseClientOptions options, string key, string expected)
        => new(Options.DefaultName, typeof(LicenseClientOptions), [$"{options.Setting(key)} must be {expected}."]);
}
