using System.Reflection;

namespace LicenseClient.Internal;

/// <summary>What this library calls itself on the wire.</summary>
internal static class SdkInfo
{
    /// <summary>The package version, such as <c>0.1.0</c> (without the source revision).</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The <c>sdk_ver</c> body field and the <c>User-Agent</c> product: <c>LicenseClient/{version}</c>.</summary>
    public static string Product { get; } = "LicenseClient/" + Version;

    private static string ReadVersion()
    {
        Assembly assembly = typeof(SdkInfo).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        int plus = informational!.IndexOf('+');
        return plus < 0 ? informational : informational.Substring(0, plus);
    }
}
