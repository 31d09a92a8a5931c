using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Samples;

/// <summary>Runs the generic-host sample as a process: AddLicenseClient bound to appsettings.json, AddLicenseSeat holding a seat while it runs.</summary>
public sealed class HostingSampleTests : IDisposable
{
    private static readonly string SampleDll = Repository.SampleDll("LicenseClient.Samples.Hosting");

    /// <summary>Receipts go to a folder of this test, deleted afterwards, not to the user's local application data.</summary>
    private readonly Offline.Receipts.TemporaryFolder _receiptFolder = Offline.Receipts.NewFolder();

    private string Receipts => $"--Borrow:ReceiptFolder=\"{_receiptFolder.Path}\"";

    public void Dispose() => _receiptFolder.Dispose();

    [Fact]
    public async Task It_holds_a_seat_from_the_emulator_while_it_runs_and_releases_it_when_it_stops()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" {Receipts}", new Dictionary<string, string?>());

        Assert.True(exitCode == 0, log);
        int held = log.IndexOf("Seat: held until ", StringComparison.Ordinal);
        int runs = log.IndexOf("The app runs with the seat held until ", StringComparison.Ordinal);
        int released = log.IndexOf("Seat: released.", StringComparison.Ordinal);
        Assert.True(held >= 0 && runs > held && released > runs, log);
        Assert.False(File.Exists(new FileBorrowReceiptStore(_receiptFolder.Path).PathOf("demo")), "The release deletes the receipt.");
    }

    [Fact]
    public async Task Its_output_shows_the_borrow_span_the_metrics_and_the_client_log_and_the_switch_turns_the_telemetry_off()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" {Receipts}", new Dictionary<string, string?>());
        (int quietExit, string quietLog) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" {Receipts} --Telemetry:Console=false", new Dictionary<string, string?>());

        Assert.True(exitCode == 0, log);
        Assert.Matches(@"Activity\.DisplayName:\s+LicenseApiClient\.Borrow\r?\n", log);
        Assert.Matches(@"Instrumentation scope \(ActivitySource\):\r?\n\s+Name: System\.Net\.Http\r?\n", log);
        Assert.Matches(@"Metric Name: licenseclient\.operation\.duration, [^\n]*Unit: s, Metric Type: Histogram", log);
        Assert.Matches(@"info: LicenseClient\[30\] Seat of demo held until ", log);
        Assert.True(quietExit == 0, quietLog);
        Assert.Contains("info: LicenseClient[30]", quietLog, StringComparison.Ordinal);
        Assert.DoesNotContain("Activity.DisplayName:", quietLog, StringComparison.Ordinal);
        Assert.DoesNotContain("Metric Name:", quietLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_reported_and_the_exit_code_is_1()
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{SampleDll}\" {Receipts} --Borrow:LicenseKey=DEMO-NO-BORROW", new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("Borrow failed (license_borrow_not_allowed, after 1 attempt(s))", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_api_cannot_be_reached_it_starts_offline_from_a_valid_stored_receipt_and_not_from_a_tampered_one()
    {
        using Offline.Receipts.TemporaryFolder folder = Offline.Receipts.NewFolder();
        var store = new FileBorrowReceiptStore(folder.Path);
        (BorrowReceipt receipt, byte[] body) = await SaveSignedReceiptAsync(store, extraFields: "");
        string arguments = OfflineArguments(folder.Path, extra: "");

        (int validExit, string validLog) = await Processes.RunAsync("dotnet", arguments, OfflineEnvironment);
        int pendingAfterValid = (await store.LoadPendingReleasesAsync()).Count;
        bool receiptKept = File.Exists(store.PathOf("demo"));
        body[^2] ^= 0x01;
        await store.SaveAsync(new BorrowReceipt(body, receipt.Signature, receipt.ServerDate, "demo", "hw-offline"));
        (int tamperedExit, string tamperedLog) = await Processes.RunAsync("dotnet", arguments, OfflineEnvironment);

        Assert.True(validExit == 0, validLog);
        Assert.Contains("Seat: the License API cannot be reached (connection_failed): held offline from the stored borrow of demo, valid until", validLog, StringComparison.Ordinal);
        Assert.Contains("The app runs with the seat held offline until", validLog, StringComparison.Ordinal);
        Assert.Equal(1, pendingAfterValid);
        Assert.True(receiptKept, "The release was journalled, so the API still counts the seat: its receipt stays for the next offline start.");
        Assert.Equal(1, tamperedExit);
        Assert.Contains("the stored borrow cannot be used (SignatureInvalid)", tamperedLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_a_genuine_receipt_of_another_company_is_refused_when_the_company_is_configured()
    {
        using Offline.Receipts.TemporaryFolder folder = Offline.Receipts.NewFolder();
        await SaveSignedReceiptAsync(new FileBorrowReceiptStore(folder.Path), extraFields: ",\"company\":{\"id\":277}");

        (int exitCode, string log) = await Processes.RunAsync("dotnet", OfflineArguments(folder.Path, extra: " --Borrow:CompanyId=276"), OfflineEnvironment);

        Assert.Equal(1, exitCode);
        Assert.Contains("the stored borrow cannot be used (WrongCompany)", log, StringComparison.Ordinal);
    }

    /// <summary>The server key the offline runs verify receipts with: the test key.</summary>
    private static Dictionary<string, string?> OfflineEnvironment => new() { ["LicenseClient__ServerPublicKey"] = TestKeys.PublicKeyPem };

    /// <summary>Saves a receipt of product "demo" for "hw-offline", valid for an hour and signed with the test key.</summary>
    private static async Task<(BorrowReceipt Receipt, byte[] Body)> SaveSignedReceiptAsync(FileBorrowReceiptStore store, string extraFields)
    {
        Instant now = SystemClock.Instance.GetCurrentInstant();
        string until = NodaTime.Text.InstantPattern.ExtendedIso.Format(now + Duration.FromHours(1));
        byte[] body = Encoding.UTF8.GetBytes($"{{\"borrowed_until\":\"{until}\",\"max_borrow_time\":2,\"device_id\":1,\"license_id\":1001{extraFields}}}");
        var receipt = new BorrowReceipt(body, TestKeys.Sign(body), now, "demo", "hw-offline");
        await store.SaveAsync(receipt);
        return (receipt, body);
    }

    /// <summary>The sample's arguments for a License API that cannot be reached, with receipts in <paramref name="folder"/>.</summary>
    private static string OfflineArguments(string folder, string extra)
        => $"\"{SampleDll}\" --Emulator:Enabled=false --LicenseClient:BaseAddress=http://127.0.0.1:1/ --LicenseClient:ApiKey=k --LicenseClient:SharedKey=s "
           + $"--LicenseClient:Retry:MaxRetries=0 --Borrow:HardwareId=hw-offline --Borrow:ReceiptFolder=\"{folder}\"{extra}";
}
