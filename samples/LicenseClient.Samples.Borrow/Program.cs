using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Samples.Borrow;

/// <summary>
/// Borrows a floating license seat for this machine and shows until when it may run offline; optionally borrows
/// a floating feature too, and releases what it borrowed.
/// </summary>
internal static class Program
{
    private const int Succeeded = 0;
    private const int Failed = 1;
    private const int BadSettings = 2;
    private const int Cancelled = 130;

    private static readonly string Usage = $"""
        Borrows a floating license seat for this machine, so it may run offline until the borrow ends.
        With --feature it also borrows a seat of a floating feature; with --release it gives the seats back.
        Each borrow's signed receipt is kept on this computer; --offline checks it, with no network.

        Usage: dotnet run --project samples/LicenseClient.Samples.Borrow -- [options]

        With no --base-address, --api-key or --shared-key, it borrows from a local License API emulator
        started in-process with a demo seed (product {BorrowSettings.DemoProduct}, license key {BorrowSettings.DemoLicenseKey}).

        Each option may instead come from its environment variable:
          --base-address <uri>            LICENSECLIENT_BASE_ADDRESS           default: {LicenseClientOptions.DefaultBaseAddress}
          --api-key <key>                 LICENSECLIENT_API_KEY                required for a server
          --shared-key <key>              LICENSECLIENT_SHARED_KEY             required for a server
          --product <code>                LICENSECLIENT_PRODUCT                required for a server
          --license-key <key>             LICENSECLIENT_LICENSE_KEY            a key-based license's key, or
          --username <name>               LICENSECLIENT_USERNAME               a user-based license's user
          --password <password>           LICENSECLIENT_PASSWORD               and password, or
          --id-token <token>              LICENSECLIENT_ID_TOKEN               an identity provider's token, or
          --code <code>                   LICENSECLIENT_CODE                   its authorization code,
          --customer-account-code <code>  LICENSECLIENT_CUSTOMER_ACCOUNT_CODE  with the customer account
          --server-public-key <pem file>  LICENSECLIENT_SERVER_PUBLIC_KEY      the server's key, when it is not the production one
          --hardware-id <id>              default: an id derived from this machine's name
          --until <instant>|max           ISO 8601 UTC, such as 2030-01-02T03:04:05Z; default: max, the license's maximum borrow time
          --feature <code>                after the license, borrows a seat of this floating feature for its maximum borrow time
          --release                       then releases the seats: the feature's (with --feature), then the license's, even
                                          when the feature step failed. A release sends the license key or the username,
                                          never a password; with --id-token or --code it needs --username, the user
                                          they sign in.
          --seed <file>                   the emulator's seed file; default: demo-seed.json beside the sample
          --receipts <folder>             LICENSECLIENT_RECEIPTS               where receipts are kept; default: {BorrowSettings.DefaultReceiptFolder(useEmulator: false)}
                                                                               (with the emulator: {BorrowSettings.DefaultReceiptFolder(useEmulator: true)})
          --offline                       borrows nothing: checks the receipt kept for --product (and --feature) on this
                                          --hardware-id with no network, and says whether the app may run offline
          --help                          shows this text

        Prefer the environment variables for secrets: other processes can see command lines.
        Exit codes: 0 borrowed (and released), or --offline found a valid receipt; 1 refused or unreachable, or --offline
        found no valid receipt; 2 missing or invalid settings.
        """;

    private static async Task<int> Main(string[] args)
    {
        if (BorrowSettings.AsksForHelp(args))
        {
            Console.WriteLine(Usage);
            return Succeeded;
        }

        if (BorrowSettings.AsksForOffline(args))
        {
            return await CheckOfflineAsync(args);
        }

        if (!BorrowSettings.TryLoad(args, out BorrowSettings? settings, out List<string> problems))
        {
            Console.Error.WriteLine("Missing or invalid settings; give each as a command-line option or an environment variable:");
            problems.ForEach(problem => Console.Error.WriteLine($"  {problem}"));
            Console.Error.WriteLine("Run with --help for details.");
            return BadSettings;
        }

        using var cancellation = new CancellationTokenSource();
        void Cancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cancellation.Cancel();
        }

        Console.CancelKeyPress += Cancel;
        LicenseApiEmulator? emulator = null;
        try
        {
            LicenseClientOptions options;
            if (settings.ServerOptions is LicenseClientOptions server)
            {
                options = server;
            }
            else
            {
                string seedFile = settings.SeedFile ?? Path.Combine(AppContext.BaseDirectory, "demo-seed.json");
                if (LoadSeed(seedFile) is not EmulatorSeed seed)
                {
                    return BadSettings;
                }

                emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions { Seed = seed }, cancellation.Token);
                Console.WriteLine($"No server given: borrowing from a local License API emulator at {emulator.BaseAddress} (seed {Path.GetFileName(seedFile)}).");
                options = emulator.CreateClientOptions();

                // The emulator signs with a new key every run: keep this run's beside the demo's receipts, for --offline.
                // For the emulator demo only: a real application ships the production key and never reads a key from a
                // folder the user can write.
                Directory.CreateDirectory(settings.ReceiptFolder);
                await File.WriteAllTextAsync(Path.Combine(settings.ReceiptFolder, BorrowSettings.EmulatorKeyFile), emulator.PublicKeyPem, cancellation.Token);
            }

            var store = new FileBorrowReceiptStore(settings.ReceiptFolder);
            options.ReceiptStore = store;
            using var client = new LicenseApiClient(options);
            BorrowedLicense borrowed = await client.BorrowAsync(settings.Request, cancellation.Token);
            Console.WriteLine($"Borrowed a floating seat of {settings.Request.Product} for hardware id {settings.Request.HardwareId}.");
            PrintSeat(borrowed.BorrowedUntil, borrowed.MaxBorrowTime, borrowed.DeviceId, borrowed.LicenseId);
            Console.WriteLine($"  Receipt:          {store.PathOf(settings.Request.Product)} (check it with --offline)");

            // The license's seat is released even when the feature step fails: a seat left borrowed stays taken until its borrow ends.
            int result = settings.FeatureRequest is null ? Succeeded : await UseFeatureAsync(client, settings, cancellation.Token);
            if (settings.ReleaseRequest is ReleaseRequest release)
            {
                await client.ReleaseAsync(release, cancellation.Token);
                Console.WriteLine($"Released the floating seat of {release.Product} for hardware id {release.HardwareId}.");
            }

            return result;
        }
        catch (LicenseApiException error)
        {
            PrintError(error);
            return Failed;
        }
        catch (InvalidOperationException error)
        {
            // The client's constructor refuses an API key that cannot stand in a header.
            Console.Error.WriteLine(error.Message);
            return BadSettings;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return Cancelled;
        }
        finally
        {
            Console.CancelKeyPress -= Cancel;
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// <c>--offline</c>: checks the stored receipt with no network (no emulator, no server), as an app does at start-up
    /// when it cannot reach the License API, and says what the app may do.
    /// </summary>
    private static async Task<int> CheckOfflineAsync(string[] args)
    {
        if (!BorrowSettings.TryLoadOffline(args, out OfflineSettings? settings, out List<string> problems))
        {
            Console.Error.WriteLine("Missing or invalid settings for --offline:");
            problems.ForEach(problem => Console.Error.WriteLine($"  {problem}"));
            return BadSettings;
        }

        var checker = new BorrowReceiptChecker(settings.ServerPublicKey);
        ReceiptCheck check = await checker.CheckStoredAsync(new FileBorrowReceiptStore(settings.ReceiptFolder), settings.Product, settings.HardwareId, settings.Feature);
        string what = settings.Feature is null ? settings.Product : $"the feature {settings.Feature} of {settings.Product}";
        Console.WriteLine($"Offline check of the receipt for {what} on hardware id {settings.HardwareId}: {check.Status}");
        Console.WriteLine($"  {check.Message}");
        if (check.BorrowedUntil is Instant until)
        {
            Console.WriteLine($"  Until (UTC):      {until.ToDateTimeUtc().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}");
        }

        if (check.Load?.Location is string location)
        {
            Console.WriteLine($"  Receipt:          {location}");
        }

        return check.IsValid ? Succeeded : Failed;
    }

    /// <summary>The emulator's seed, or <see langword="null"/> after saying why the file could not be read.</summary>
    private static EmulatorSeed? LoadSeed(string seedFile)
    {
        try
        {
            return EmulatorSeed.Load(seedFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"The emulator's seed file could not be read: {error.Message}");
            return null;
        }
    }

    /// <summary>
    /// Borrows the floating feature <c>--feature</c> names and, with <c>--release</c>, releases it. A refusal is
    /// printed here, so the license's seat can still be released after it.
    /// </summary>
    private static async Task<int> UseFeatureAsync(LicenseApiClient client, BorrowSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            BorrowedFeature feature = await client.BorrowFeatureAsync(settings.FeatureRequest!, cancellationToken);
            Console.WriteLine($"Borrowed a seat of the floating feature {feature.Feature} of {settings.Request.Product}.");
            PrintSeat(feature.BorrowedUntil, feature.MaxBorrowTime, feature.DeviceId, feature.LicenseId);
            if (settings.FeatureReleaseRequest is FeatureReleaseRequest release)
            {
                await client.ReleaseFeatureAsync(release, cancellationToken);
                Console.WriteLine($"Released the seat of the floating feature {release.Feature} for hardware id {release.HardwareId}.");
            }

            return Succeeded;
        }
        catch (LicenseApiException error)
        {
            PrintError(error);
            return Failed;
        }
    }

    /// <summary>Prints until when a borrowed seat (of the license or of a feature) is held, and whose it is.</summary>
    private static void PrintSeat(Instant borrowedUntil, Duration maxBorrowTime, long deviceId, long licenseId)
    {
        Instant now = SystemClock.Instance.GetCurrentInstant();
        DateTimeOffset local = borrowedUntil.ToDateTimeOffset().ToLocalTime();
        Console.WriteLine($"  Until (local):    {local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} ({TimeZoneInfo.Local.Id}, UTC{local.ToString("zzz", CultureInfo.InvariantCulture)})");
        Console.WriteLine($"  Until (UTC):      {borrowedUntil.ToDateTimeUtc().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"  From now:         {Describe(borrowedUntil - now)}");
        Console.WriteLine($"  Max borrow time:  {maxBorrowTime.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} hours");
        Console.WriteLine($"  Device id:        {deviceId}");
        Console.WriteLine($"  License id:       {licenseId}");
    }

    private static void PrintError(LicenseApiException error)
    {
        Console.Error.WriteLine($"{WhatFailed(error.Operation)}: {error.ErrorCode}");
        Console.Error.WriteLine($"  HTTP status:     {error.Status?.ToString(CultureInfo.InvariantCulture) ?? "none (no answer arrived)"}");
        Console.Error.WriteLine($"  Server message:  {error.ServerMessage ?? "none"}");
        if (error.InnerException is Exception cause)
        {
            Console.Error.WriteLine($"  Cause:           {cause.Message}");
        }

        Console.Error.WriteLine($"  What to do:      {Hint(error)}");
    }

    /// <summary>What failed, in the words the client's exception messages start with.</summary>
    private static string WhatFailed(LicenseApiOperation operation) => operation switch
    {
        LicenseApiOperation.Release => "Release failed",
        LicenseApiOperation.BorrowFeature => "Feature borrow failed",
        LicenseApiOperation.ReleaseFeature => "Feature release failed",
        _ => "Borrow failed",
    };

    private static string Hint(LicenseApiException error) => error switch
    {
        FloatingNotAvailableException => "all seats are in use; try again later, when a seat is released or a borrow ends.",
        RateLimitedException => "too many requests; try again later" + (error.RetryAfter is TimeSpan wait ? $", in {Math.Ceiling(wait.TotalSeconds)} seconds." : "."),
        LicenseAuthorizationException { ErrorCode: LicenseErrorCodes.DateHeaderDiff } =>
            "this computer's clock is wrong; set it right (sync it with a time server) and try again.",
        LicenseAuthorizationException { ErrorCode: LicenseErrorCodes.OAuthInvalidClient } => "check the OAuth client id and secret.",
        LicenseAuthorizationException => "check the API key and the shared key, and that the API key may be used for this product.",
        ResponseSignatureException => "the answer did not come from the License API; check the base address, any proxy in between, and --server-public-key.",
        UnknownProductException => "check the product code (--product).",
        LicenseNotFoundException => "no license matches the credential; check the license key, or the username and password.",
        LicenseNotActiveException or LicenseNotEnabledException => "the license must be active and enabled; ask its administrator.",
        LicenseExpiredException => "the license has expired; ask its administrator to renew it.",
        LicenseBorrowNotAllowedException => "this license does not allow borrowing; ask its administrator.",
        BorrowUntilNotValidException => "--until must be in the future and within the license's maximum borrow time; leave it out to borrow for the maximum.",
        DeviceNotFoundException { Operation: LicenseApiOperation.Release } => "this device holds no seat of the license (the same hardware id): it is already released.",
        DeviceNotFoundException => "activate the license on this device (the same hardware id) first, then borrow.",
        FeatureNotInUseException => "this device holds no seat of the feature (the same hardware id): it is already released.",
        UnknownFeatureException => "the license has no feature with this code; check --feature.",
        FeatureNotFloatingException => "this feature is not a floating feature, so it has no seats to borrow; check --feature.",
        DeviceBlacklistedException => "this device is blocked for the license; ask its administrator.",
        ReceiptNotSavedException => "the seat was granted, but its receipt could not be saved for --offline; check that --receipts names a folder this user may write.",
        _ => error.ErrorCode switch
        {
            LicenseErrorCodes.ConnectionFailed => "check the network connection, the proxy settings and the base address (--base-address).",
            LicenseErrorCodes.Timeout => "the License API did not answer in time, even after retries; check the network and try again.",
            LicenseErrorCodes.ServiceUnavailable => "the License API (or a proxy in front of it) is not serving; try again later.",
            LicenseErrorCodes.InvalidResponse => "the answer did not come from the License API; check the base address and any proxy in between.",
            LicenseErrorCodes.ReceiptNotDeleted => "nothing was released: the stored receipt could not be deleted first; check that --receipts names a folder this user may write.",
            _ => "see the server message.",
        },
    };

    /// <summary>A duration for people, in its two largest units, such as <c>11 days 23 hours</c>.</summary>
    private static string Describe(Duration span)
    {
        span = Duration.FromMinutes(Math.Round(span.TotalMinutes));
        if (span < Duration.FromMinutes(1))
        {
            return span < Duration.Zero ? "already over" : "less than a minute";
        }

        (int Count, string Unit)[] parts = [(span.Days, "day"), (span.Hours, "hour"), (span.Minutes, "minute")];
        return string.Join(
            " ",
            parts.SkipWhile(part => part.Count == 0)
                .Take(2)
                .Where(part => part.Count > 0)
                .Select(part => $"{part.Count} {part.Unit}{(part.Count == 1 ? "" : "s")}"));
    }
}
