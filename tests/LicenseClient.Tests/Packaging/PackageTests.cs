using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace LicenseClient.Tests.Packaging;

/// <summary>Packs the library the way a release does and checks what the package holds.</summary>
public sealed class PackageTests
{
    [Fact]
    public async Task The_package_holds_three_frameworks_their_docs_and_the_readme()
    {
        string root = RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), "licenseclient-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            string configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            (int exitCode, string log) = await RunAsync(
                "dotnet",
                $"pack \"{Path.Combine(root, "src", "LicenseClient", "LicenseClient.csproj")}\" -c {configuration} -o \"{output}\" -nodeReuse:false");
            Assert.True(exitCode == 0, log);

            string package = Assert.Single(Directory.GetFiles(output, "LicenseClient.*.nupkg"), p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal));
            using ZipArchive zip = ZipFile.OpenRead(package);
            string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

            foreach (string framework in new[] { "netstandard2.0", "net8.0", "net10.0" })
            {
                Assert.Contains($"lib/{framework}/LicenseClient.dll", entries);
                Assert.Contains($"lib/{framework}/LicenseClient.xml", entries);
            }

            Assert.Contains("README.md", entries);
            Assert.Contains("CHANGELOG.md", entries);

            using var reader = new StreamReader(zip.Entries.Single(e => e.FullName == "LicenseClient.nuspec").Open());
            string nuspec = await reader.ReadToEndAsync();
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<id>LicenseClient</id>", nuspec, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static string RepositoryRoot()
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

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout + await stderr);
    }
}
