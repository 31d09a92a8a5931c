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
                throw new OptionsValidationException(
                    Options.DefaultName,
                    typeof(LicenseClientOptions),
                    [$"{options.Setting(nameof(LicenseClientOptions.BaseAddress))} must be an absolute http or https URI without a query, such as https://api.licensespring.com/."]);
            }
        }

        options.ApiKey = configuration[nameof(LicenseClientOptions.ApiKey)] ?? options.ApiKey;
        options.SharedKey = configuration[nameof(LicenseClientOptions.SharedKey)] ?? options.SharedKey;
    }
}
