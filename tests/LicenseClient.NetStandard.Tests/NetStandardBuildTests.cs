using System.Reflection;
using System.Runtime.Versioning;

namespace LicenseClient.Tests;

public sealed class NetStandardBuildTests
{
    [Fact]
    public void These_tests_run_against_the_netstandard2_0_build()
    {
        string? framework = typeof(LicenseApiClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
        Assert.Equal(".NETStandard,Version=v2.0", framework);
    }
}
