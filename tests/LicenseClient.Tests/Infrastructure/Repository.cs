using System;
using System.IO;
using System.Reflection;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>Where the repository is, and which build configuration these tests were built in.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built assembly of the sample <c>samples/{name}</c>.</summary>
    public static string SampleDll(string name)
        => Path.Combine(Root, "samples", name, "bin", Configuration, "net10.0", name + ".dll");

    /// <summary>The built assembly of the test program <c>tests/{name}</c>.</summary>
    public static string TestProgramDll(string name)
        => Path.Combine(Root, "tests", name, "bin", Configuration, "net10.0", name + ".dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LicenseClient.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LicenseClient.sln was not found above " + AppContext.BaseDirectory);
    }
}
