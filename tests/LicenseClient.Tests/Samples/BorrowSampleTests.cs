using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Samples;

/// <summary>Runs the Borrow sample as a process, the way the README's first command does.</summary>
public sealed class BorrowSampleTests : IDisposable
{
    private static readonly string SampleDll = Repository.SampleDll("LicenseClient.Samples.Borrow");

    /// <summary>Settings from the environment of the machine running the tests must not leak in.</summary>
    /// <summary>Receipts (and the emulator demo's key) go to a folder of this test, deleted afterwards, not to the user's local application data.</summary>
    private readonly Offline.Receipts.TemporaryFolder _receipts = Offline.Receipts.NewFolder();

    /// <summary>The test servers' public key, in a file for <c>--server-public-key</c>, beside the receipts.</summary>
    private readonly Lazy<string> _keyFile;

    private readonly Dictionary<string, string?> _noSettings;

    public BorrowSampleTests()
    {
        _noSettings = new()
        {
            ["LICENSECLIENT_BASE_ADDRESS"] = null,
            ["LICENSECLIENT_API_KEY"] = null,
            ["LICENSECLIENT_SHARED_KEY"] = null,
            ["LICENSECLIENT_PRODUCT"] = null,
            ["LICENSECLIENT_LICENSE_KEY"] = null,
            ["LICENSECLIENT_USERNAME"] = null,
            ["LICENSECLIENT_PASSWORD"] = null,
            ["LICENSECLIENT_ID_TOKEN"] = null,
            ["LICENSECLIENT_CODE"] = null,
            ["LICENSECLIENT_CUSTOMER_ACCOUNT_CODE"] = null,
            ["LICENSECLIENT_SERVER_PUBLIC_KEY"] = null,
            ["LICENSECLIENT_RECEIPTS"] = Path.Combine(_receipts.Path, "receipts"),
        };
        _keyFile = new(() =>
        {
            string path = Path.Combine(_receipts.Path, "test-key.pem");
            File.WriteAllText(path, TestKeys.PublicKeyPem);
            return path;
        });
    }

    public void Dispose() => _receipts.Dispose();

    [Fact]
    public async Task Without_settings_it_borrows_from_the_embedded_emulator()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\"", _noSettings);

        Assert.True(exitCode == 0, log);
        Assert.Contains("No server given: borrowing from a local License API emulator at http://127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains("Borrowed a floating seat of demo", log, StringComparison.Ordinal);
        Assert.Contains("From now:         3 days", log, StringComparison.Ordinal);
        Assert.Contains("Max borrow time:  72 hours", log, StringComparison.Ordinal);
        Assert.Contains("License id:       1001", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_the_emulator_a_user_credential_and_a_refusal_are_reported()
    {
        (int borrowedExit, string borrowedLog) = await Processes.RunAsync(
            "dotnet", $"\"{SampleDll}\" --username demo@example.com --password demo-password --until max", _noSettings);
        (int refusedExit, string refusedLog) = await Processes.RunAsync(
            "dotnet", $"\"{SampleDll}\" --license-key DEMO-NO-BORROW", _noSettings);

        Assert.True(borrowedExit == 0, borrowedLog);
        Assert.Contains("License id:       1002", borrowedLog, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-password", borrowedLog, StringComparison.Ordinal);
        Assert.Equal(1, refusedExit);
        Assert.Contains("Borrow failed: license_borrow_not_allowed", refusedLog, StringComparison.Ordinal);
        Assert.Contains("does not allow borrowing", refusedLog, StringComparison.Ordinal);
    }

    [Fact]
    public Task With_release_it_gives_the_borrowed_seat_back()
        => AssertExitsPrintingInOrderAsync(
            0,
            "--release --hardware-id hw-release",
            "Borrowed a floating seat of demo for hardware id hw-release.",
            "Released the floating seat of demo for hardware id hw-release.");

    [Fact]
    public Task With_a_feature_and_release_it_borrows_the_feature_then_releases_the_feature_and_the_license()
        => AssertExitsPrintingInOrderAsync(
            0,
            "--feature export --release --hardware-id hw-feature",
            "Borrowed a floating seat of demo for hardware id hw-feature.",
            "Borrowed a seat of the floating feature export of demo.",
            "From now:         8 hours",
            "Max borrow time:  8 hours",
            "Released the seat of the floating feature export for hardware id hw-feature.",
            "Released the floating seat of demo for hardware id hw-feature.");

    [Fact]
    public Task A_feature_that_is_not_floating_prints_the_typed_error_and_exits_1()
        => AssertExitsPrintingInOrderAsync(
            1,
            "--feature reports",
            "License id:       1001",
            "Feature borrow failed: feature_not_floating",
            "not a floating feature");

    [Fact]
    public async Task A_sign_in_is_released_by_the_username_given_with_it()
    {
        const string SignIn = "--id-token demo-id-token --customer-account-code demo-account --release";

        await AssertExitsPrintingInOrderAsync(2, SignIn, "--release with --id-token or --code needs --username");
        await AssertExitsPrintingInOrderAsync(
            0,
            $"{SignIn} --username demo@example.com",
            "License id:       1002",
            "Released the floating seat of demo");
    }

    [Fact]
    public async Task Offline_it_checks_the_receipt_kept_by_the_last_borrow_with_no_network()
    {
        string receipts = Path.Combine(_receipts.Path, "offline");
        string folder = $"--receipts \"{receipts}\"";
        await AssertExitsPrintingInOrderAsync(2, $"--offline {folder} --hardware-id hw-offline", "Missing or invalid settings for --offline", "borrow online first");
        await AssertExitsPrintingInOrderAsync(0, $"{folder} --hardware-id hw-offline", "Borrowed a floating seat of demo", "check it with --offline");

        await AssertExitsPrintingInOrderAsync(0, $"--offline {folder} --hardware-id hw-offline", "Offline check of the receipt for demo on hardware id hw-offline: Valid", "Valid offline until");
        await AssertExitsPrintingInOrderAsync(1, $"--offline {folder} --hardware-id hw-other", "WrongHardwareId", "borrowed for another device");
        await AssertExitsPrintingInOrderAsync(1, $"--offline {folder} --hardware-id hw-offline --feature export", "NoReceipt");
        await AssertExitsPrintingInOrderAsync(0, $"{folder} --hardware-id hw-offline --release", "Released the floating seat of demo");
        await AssertExitsPrintingInOrderAsync(1, $"--offline {folder} --hardware-id hw-offline", "NoReceipt");
    }

    [Fact]
    public async Task With_half_the_server_settings_it_says_what_to_set_and_exits_2()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" --api-key k", _noSettings);

        Assert.Equal(2, exitCode);
        Assert.Contains("--shared-key or LICENSECLIENT_SHARED_KEY", log, StringComparison.Ordinal);
        Assert.Contains("--product or LICENSECLIENT_PRODUCT", log, StringComparison.Ordinal);
        Assert.Contains("--license-key or LICENSECLIENT_LICENSE_KEY", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_borrows_and_prints_the_result()
    {
        using var api = new LicenseApiStub().RespondWithSuccess();

        (int exitCode, string log) = await Processes.RunAsync(
            "dotnet",
            $"\"{SampleDll}\" --base-address {api.BaseAddress} --server-public-key \"{_keyFile.Value}\" --product product-x --license-key SAMPLE-LICENSE-KEY --hardware-id hw-1",
            new Dictionary<string, string?>(_noSettings) { ["LICENSECLIENT_API_KEY"] = "k", ["LICENSECLIENT_SHARED_KEY"] = "SAMPLE-SHARED-KEY" });

        Assert.True(exitCode == 0, log);
        Assert.Contains("Until (UTC):      2030-01-02 03:04:05", log, StringComparison.Ordinal);
        Assert.Contains("Device id:        1687283003863909", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SAMPLE-SHARED-KEY", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SAMPLE-LICENSE-KEY", log, StringComparison.Ordinal);
        Assert.Contains("\"hardware_id\":\"hw-1\"", api.SingleRequest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_borrow_prints_the_typed_error_and_a_hint_and_exits_1()
    {
        using var api = new LicenseApiStub().RespondWithError(400, "floating_not_available", "No available slots for floating license");

        (int exitCode, string log) = await Processes.RunAsync(
            "dotnet",
            $"\"{SampleDll}\" --base-address {api.BaseAddress} --server-public-key \"{_keyFile.Value}\" --api-key k --shared-key s --product p --license-key key",
            _noSettings);

        Assert.Equal(1, exitCode);
        Assert.Contains("Borrow failed: floating_not_available", log, StringComparison.Ordinal);
        Assert.Contains("all seats are in use", log, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the sample against its embedded emulator with <paramref name="arguments"/>, and checks that it exits
    /// with <paramref name="expectedExitCode"/> after printing each of <paramref name="lines"/>, each after the one before.
    /// </summary>
    private async Task AssertExitsPrintingInOrderAsync(int expectedExitCode, string arguments, params string[] lines)
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" {arguments}", _noSettings);

        Assert.True(exitCode == expectedExitCode, $"Exit code {exitCode}, not {expectedExitCode}:\n{log}");
        int from = 0;
        foreach (string line in lines)
        {
            int at = log.IndexOf(line, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"\"{line}\" is missing after position {from} of the output:\n{log}");
            from = at + line.Length;
        }
    }
}
