using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Emulator;

/// <summary>
/// The standalone emulator (<c>src/LicenseClient.Emulator</c>) as a real process, as a test in another language
/// would use it: it prints its address, serves a borrow verified with the key it wrote, obeys its control
/// endpoints, and stops on SIGTERM.
/// </summary>
public sealed partial class StandaloneEmulatorTests
{
    private static readonly string EmulatorDll = Path.Combine(
        Repository.Root, "src", "LicenseClient.Emulator", "bin", Repository.Configuration, "net10.0", "LicenseClient.Emulator.dll");

    private static readonly string DemoSeed = Path.Combine(Repository.Root, "samples", "LicenseClient.Samples.Borrow", "demo-seed.json");

    [Fact]
    public async Task It_serves_borrows_obeys_its_control_endpoints_and_stops_on_sigterm()
    {
        string keyFile = Path.Combine(Path.GetTempPath(), $"licenseclient-emulator-key-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        using Process process = Start($"\"{EmulatorDll}\" --seed \"{DemoSeed}\" --api-key qa-api-key --shared-key qa-shared-key --public-key-out \"{keyFile}\"");
        var output = new StringBuilder();
        try
        {
            Uri address = await AddressAsync(process, output);
            using var http = new HttpClient { BaseAddress = address };
            var options = new LicenseClientOptions
            {
                BaseAddress = address,
                ApiKey = "qa-api-key",
                SharedKey = "qa-shared-key",
                ServerPublicKey = await File.ReadAllTextAsync(keyFile),
            };
            options.Retry.MaxRetries = 0;
            using var client = new LicenseApiClient(options);
            var user = LicenseCredential.FromUser("demo@example.com", "demo-password");

            BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest("demo", "qa-machine-1", user) { BorrowedUntil = Now() + NodaTime.Duration.FromHours(1) });
            Assert.Equal(1002, borrowed.LicenseId);
            Assert.True(borrowed.DeviceId > int.MaxValue);

            Assert.Equal(204, await PostAsync(http, "_emulator/faults", "{\"kind\":\"fail\",\"status\":503}"));
            LicenseApiException failure = await Assert.ThrowsAsync<LicenseApiException>(
                () => client.BorrowAsync(new BorrowRequest("demo", "qa-machine-2", user)));
            Assert.Equal(("service_unavailable", (int?)503), (failure.ErrorCode, failure.Status));
            await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(new BorrowRequest("demo", "qa-machine-2", user)));

            Assert.Equal(200, await PostAsync(http, "_emulator/clock", "{\"advance_seconds\":7200}"));
            using (HttpResponseMessage state = await http.GetAsync("_emulator/state"))
            {
                JsonElement license = JsonDocument.Parse(await state.Content.ReadAsStringAsync()).RootElement.GetProperty("licenses")[1];
                Assert.Equal((1002, 0), (license.GetProperty("id").GetInt64(), license.GetProperty("seats_in_use").GetInt32()));
            }

            BorrowedLicense next = await client.BorrowAsync(new BorrowRequest("demo", "qa-machine-2", user));
            Assert.Equal(1002, next.LicenseId);

            (int killed, string killLog) = await Processes.RunAsync("kill", $"-TERM {process.Id}");
            Assert.True(killed == 0, killLog);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            File.Delete(keyFile);
        }

        lock (output)
        {
            Assert.Contains("Stopping.", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--port", "not-a-port")]
    [InlineData("--frobnicate", "")]
    [InlineData("--seed", "no-such-seed.json")]
    public async Task Invalid_options_exit_with_code_2_and_say_why(string option, string value)
    {
        (int exitCode, string log) = await Processes.RunAsync("dotnet", $"\"{EmulatorDll}\" {option} {value}");

        Assert.True(exitCode == 2, log);
        Assert.Contains(option.StartsWith("--seed", StringComparison.Ordinal) ? "seed file" : option, log, StringComparison.Ordinal);
    }

    private static NodaTime.Instant Now() => NodaTime.SystemClock.Instance.GetCurrentInstant();

    private static Process Start(string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }

    /// <summary>The address the emulator prints on start, read within 30 s (else the test fails and the process is killed).</summary>
    private static async Task<Uri> AddressAsync(Process process, StringBuilder output)
    {
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                address.TrySetException(new InvalidOperationException("The emulator ended before printing its address: " + output));
                return;
            }

            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (AddressLine().Match(line.Data) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups["address"].Value));
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return await address.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<int> PostAsync(HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(path, content);
        return (int)response.StatusCode;
    }

    [GeneratedRegex("listening on (?<address>http://127\\.0\\.0\\.1:[0-9]+/)")]
    private static partial Regex AddressLine();
}
