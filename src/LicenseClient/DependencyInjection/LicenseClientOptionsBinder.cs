using System;
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
        string? baseAddress = configuration[nameof(LicenseClientOptions.BaseAddress)];
        if (!string.IsNullOrWhiteSpace(baseAddress))
        {
            try
            {
                options.BaseAddress = Uri.TryCreate(baseAddress, UriKind.Absolute, out Uri? uri)
                    ? uri
                    : throw new ArgumentException("not an absolute URI");
            }
            catch (ArgumentException)
            {
                throw Fail(configuration, nameof(LicenseClientOptions.BaseAddress), "must be an absolute http or https URI without a query, such as https://api.licensespring.com/");
            }
        }

        options.ApiKey = configuration[nameof(LicenseClientOptions.ApiKey)] ?? options.ApiKey;
        options.SharedKey = configuration[nameof(LicenseClientOptions.SharedKey)] ?? options.SharedKey;
    }

    private static OptionsValidationException Fail(IConfiguration configuration, string key, string problem)
    {
        string path = configuration is IConfigurationSection section && section.Path.Length > 0
            ? section.Path + ConfigurationPath.KeyDelimiter + key
            : key;
        return new OptionsValidationException(
            Options.DefaultName,
            typeof(LicenseClientOptions),
            [$"Configuration key '{path}' {problem}."]);
    }
}
