using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Signing;
using LicenseClient.Testing;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Emulator;

/// <summary>An emulator with a seed that reaches every condition, and a fake clock shared with its clients.</summary>
public sealed class EmulatorFixture : IAsyncDisposable
{
    public const string Product = "app";

    /// <summary>When the default fake clock starts.</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 26, 12, 0, 0);

    private readonly IClock _clock;

    private EmulatorFixture(LicenseApiEmulator emulator, IClock clock)
    {
        Emulator = emulator;
        _clock = clock;
    }

    public LicenseApiEmulator Emulator { get; }

    /// <summary>The emulator's fake clock, which its clients share; not there when the emulator was started on a clock of the test's own.</summary>
    public FakeClock Clock => _clock as FakeClock
        ?? throw new InvalidOperationException("This emulator runs on the clock given to StartAsync: move that one.");

    public static EmulatorSeed Seed() => new()
    {
        Products = [new EmulatedProduct { Code = Product }],
        Licenses =
        [
            new EmulatedLicense
            {
                Id = 1,
                Product = Product,
                LicenseKey = "KEY-OK",
                FloatingUsers = 2,
                MaxBorrowTime = Duration.FromHours(24),
                Features =
                [
                    new EmulatedFeature { Code = "export", FloatingUsers = 1, MaxBorrowTime = Duration.FromHours(8) },
                    new EmulatedFeature { Code = "reports", Floating = false },
                ],
            },
            new EmulatedLicense { Id = 2, Product = Product, LicenseKey = "KEY-INACTIVE", Active = false },
            new EmulatedLicense { Id = 3, Product = Product, LicenseKey = "KEY-DISABLED", Enabled = false },
            new EmulatedLicense { Id = 4, Product = Product, LicenseKey = "KEY-NO-BORROW", CanBorrow = false, Features = [new EmulatedFeature { Code = "export" }] },
            new EmulatedLicense
            {
                Id = 5,
                Product = Product,
                LicenseKey = "KEY-STRICT",
                AutoActivate = false,
                Devices = [new EmulatedDevice { HardwareId = "known" }, new EmulatedDevice { HardwareId = "deactivated", Active = false }],
            },
            new EmulatedLicense
            {
                Id = 6,
                Product = Product,
                Users = [new EmulatedLicenseUser { Username = "ada@example.com", Password = "pw-ada" }],
                FloatingUsers = 1,
                MaxBorrowTime = Duration.FromHours(12),
                Features = [new EmulatedFeature { Code = "export", FloatingUsers = 2, MaxBorrowTime = Duration.FromHours(6) }],
            },
            new EmulatedLicense { Id = 7, Product = Product, LicenseKey = "KEY-ONE-SEAT", FloatingUsers = 1, MaxBorrowTime = Duration.FromHours(8), Features = [new EmulatedFeature { Code = "sync" }] },
        ],
        BlacklistedHardwareIds = ["stolen"],
        CustomerAccounts =
        [
            new EmulatedCustomerAccount
            {
                Code = "acme",
                IdTokens = { ["token-ada"] = "ada@example.com" },
                AuthorizationCodes = { ["code-ada"] = "ada@example.com" },
            },
        ],
    };

    /// <summary>
    /// Starts an emulator with <paramref name="seed"/> (default <see cref="Seed"/>) and its control endpoints on.
    /// By default devices activate on their first borrow, so tests name any hardware id; license 5 (KEY-STRICT) is strict.
    /// The emulator (and its clients, see <see cref="Options"/>) run on <paramref name="clock"/>, by default a fake clock
    /// at 2026-11-26 12:00 UTC (<see cref="Clock"/>); pass a clock over a fake time provider to drive timers from the same time.
    /// </summary>
    public static async Task<EmulatorFixture> StartAsync(EmulatorSeed? seed = null, bool autoActivateDevices = true, IClock? clock = null)
    {
        clock ??= new FakeClock(Start);
        LicenseApiEmulator emulator = await LicenseApiEmulator.StartAsync(
            new EmulatorOptions { Clock = clock, Seed = seed ?? Seed(), AutoActivateDevices = autoActivateDevices, EnableControl = true });
        return new EmulatorFixture(emulator, clock);
    }

    /// <summary>Client options for the emulator, retrying without waiting (tests of the waits set a fake time provider).</summary>
    public LicenseClientOptions Options()
    {
        LicenseClientOptions options = Emulator.CreateClientOptions();
        options.Retry.BaseDelay = TimeSpan.Zero;
        options.Retry.MaxDelay = TimeSpan.Zero;
        return options;
    }

    public LicenseApiClient Client() => new(Options());

    /// <summary>Whether <paramref name="body"/> is what the answer's <c>LicenseSignature</c> header signs with the emulator's key.</summary>
    public bool IsSignedByEmulator(HttpResponseMessage response, string body)
    {
        using var key = RSA.Create();
        key.ImportFromPem(Emulator.PublicKeyPem);
        return response.Headers.TryGetValues("LicenseSignature", out IEnumerable<string>? values)
            && key.VerifyData(Encoding.UTF8.GetBytes(body), Convert.FromBase64String(values.Single()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Sends a hand-made borrow with the given headers (a correct signature when <paramref name="authorization"/> is null).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendRawAsync(string json, string? date = null, string? authorization = null, string path = LicenseApiEmulator.BorrowPath)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Emulator.BaseAddress, path.TrimStart('/')));
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string httpDate = string.IsNullOrEmpty(date) ? HttpDate.Format(_clock.GetCurrentInstant()) : date;
        if (date != "")
        {
            request.Headers.TryAddWithoutValidation("Date", httpDate);
        }

        if (authorization is null)
        {
            using var signed = new HttpRequestMessage();
            await new ApiKeySigner(Emulator.ApiKey, Emulator.SharedKey).SignAsync(signed, Instant.FromDateTimeOffset(DateTimeOffset.Parse(httpDate, System.Globalization.CultureInfo.InvariantCulture)), default);
            authorization = string.Join(",", signed.Headers.GetValues("Authorization"));
        }

        if (authorization != "")
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        HttpResponseMessage response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
