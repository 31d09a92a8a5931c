using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Packaging;

/// <summary>
/// Builds what a release ships with the dotnet CLI and checks it: the package's contents, and a
/// NativeAOT application that uses the library. The two share one collection so that they never
/// build the library at the same time.
/// </summary>
[Collection(nameof(PackagingTests))]
public sealed class PackagingTests
{
    private static readonly string Configuration = Repository.Configuration;

    [Fact]
    public async Task The_package_holds_three_frameworks_their_docs_and_the_readme()
    {
        string output = TemporaryDirectory("pack");
        try
        {
            (int exitCode, string log) = await Processes.RunAsync(
                "dotnet",
                $"pack \"{Path.Combine(Repository.Root, "src", "LicenseClient", "LicenseClient.csproj")}\" -c {Configuration} -o \"{output}\" --no-restore -nodeReuse:false");
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
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task A_native_aot_application_publishes_without_warnings_and_borrows()
    {
        string output = TemporaryDirectory("aot");
        try
        {
            (int publishExit, string publishLog) = await Processes.RunAsync(
                "dotnet",
                $"publish \"{Path.Combine(Repository.Root, "tests", "LicenseClient.AotCanary", "LicenseClient.AotCanary.csproj")}\" -c {Configuration} -o \"{output}\" --no-restore -nodeReuse:false");
            Assert.True(publishExit == 0, publishLog);
            Assert.DoesNotMatch(new Regex(@"warning (IL|NETSDK)\d+"), publishLog);

            string executable = Path.Combine(output, OperatingSystem.IsWindows() ? "LicenseClient.AotCanary.exe" : "LicenseClient.AotCanary");
            (int runExit, string runLog) = await Processes.RunAsync(executable, "");
            Assert.True(runExit == 0, runLog);
            Assert.Contains("canary ok", runLog, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string TemporaryDirectory(string purpose)
        => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"licenseclient-{purpose}-{Guid.NewGuid():N}")).FullName;
}
