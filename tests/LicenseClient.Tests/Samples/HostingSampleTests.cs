using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Samples;

/// <summary>Runs the generic-host sample as a process: AddLicenseClient bound to appsettings.json, borrowing at start-up.</summary>
public sealed class HostingSampleTests
{
    private static readonly string SampleDll = Repository.SampleDll("LicenseClient.Samples.Hosting");

    [Fact]
    public async Task It_borrows_from_the_emulator_at_start_up_and_stops()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\"", new Dictionary<string, string?>());

        Assert.True(exitCode == 0, log);
        Assert.Contains("Borrowed a floating seat of demo until", log, StringComparison.Ordinal);
        Assert.Contains("(license 1001, device ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_reported_and_the_exit_code_is_1()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" --Borrow:LicenseKey=DEMO-NO-BORROW", new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("Borrow failed (license_borrow_not_allowed, after 1 attempt(s))", log, StringComparison.Ordinal);
    }
}
