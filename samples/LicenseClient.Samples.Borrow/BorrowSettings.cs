using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace LicenseClient.Samples.Borrow;

/// <summary>
/// The sample's settings. Each comes from its command-line option (<c>--name value</c> or
/// <c>--name=value</c>), or else from its environment variable.
/// </summary>
internal sealed class BorrowSettings
{
    /// <summary>Every option, by name, with its environment variable (<see langword="null"/>: none).</summary>
    private static readonly Dictionary<string, string?> Options = new(StringComparer.Ordinal)
    {
        ["base-address"] = "LICENSECLIENT_BASE_ADDRESS",
        ["api-key"] = "LICENSECLIENT_API_KEY",
        ["shared-key"] = "LICENSECLIENT_SHARED_KEY",
        ["product"] = "LICENSECLIENT_PRODUCT",
        ["license-key"] = "LICENSECLIENT_LICENSE_KEY",
        ["username"] = "LICENSECLIENT_USERNAME",
        ["password"] = "LICENSECLIENT_PASSWORD",
        ["id-token"] = "LICENSECLIENT_ID_TOKEN",
        ["code"] = "LICENSECLIENT_CODE",
        ["customer-account-code"] = "LICENSECLIENT_CUSTOMER_ACCOUNT_CODE",
        ["server-public-key"] = "LICENSECLIENT_SERVER_PUBLIC_KEY",
        ["hardware-id"] = null,
        ["until"] = null,
        ["feature"] = null,
        ["release"] = null,
        ["seed"] = null,
        ["receipts"] = "LICENSECLIENT_RECEIPTS",
        ["offline"] = null,
    };

    /// <summary>The options that take no value.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "release", "offline" };

    /// <summary>
    /// The file, beside the emulator demo's receipts, that keeps the emulator's public key: the emulator makes a new key
    /// pair every run. For the emulator demo only: a real application ships the production key (the default) and never
    /// reads a key from a folder the user can write, where anyone could put their own key beside receipts they signed.
    /// </summary>
    public const string EmulatorKeyFile = "emulator-key.pem";

    /// <summary>
    /// Where receipts are kept when no <c>--receipts</c> is given: against the emulator, a demo folder of its own (beside
    /// its key, see <see cref="EmulatorKeyFile"/>), never the folder receipts from a real License API are kept in.
    /// </summary>
    public static string DefaultReceiptFolder(bool useEmulator)
        => useEmulator ? FileBorrowReceiptStore.ForApplication(EmulatorDemoName).Folder : FileBorrowReceiptStore.DefaultFolder;

    /// <summary>The application name the emulator demo keeps its receipts and key under.</summary>
    private const string EmulatorDemoName = "LicenseClient.Samples.Borrow.EmulatorDemo";

    /// <summary>The product of the demo seed, borrowed from the emulator when no product is given.</summary>
    public const string DemoProduct = "demo";

    /// <summary>The demo seed's key-based license, borrowed from the emulator when no credential is given.</summary>
    public const string DemoLicenseKey = "DEMO-1111-2222-3333";

    private BorrowSettings(
        LicenseClientOptions? serverOptions,
        string? seedFile,
        BorrowRequest request,
        FeatureBorrowRequest? featureRequest,
        ReleaseRequest? releaseRequest,
        string receiptFolder)
    {
        ReceiptFolder = receiptFolder;
        ServerOptions = serverOptions;
        SeedFile = seedFile;
        Request = request;
        FeatureRequest = featureRequest;
        ReleaseRequest = releaseRequest;
    }

    /// <summary>
    /// Where to send the request and how to sign it; <see langword="null"/> when no server was given, and
    /// the sample borrows from a local emulator instead.
    /// </summary>
    public LicenseClientOptions? ServerOptions { get; }

    /// <summary>Where the receipts of borrows are kept (<c>--receipts</c>); by default the store's own folder under local application data.</summary>
    public string ReceiptFolder { get; }

    /// <summary>The emulator's seed file (JSON), when the sample borrows from the emulator.</summary>
    public string? SeedFile { get; }

    /// <summary>What to borrow, for which device, with which credential.</summary>
    public BorrowRequest Request { get; }

    /// <summary>The floating feature to borrow after the license (<c>--feature</c>); <see langword="null"/> when none was given.</summary>
    public FeatureBorrowRequest? FeatureRequest { get; }

    /// <summary>
    /// The seat to release at the end (<c>--release</c>); <see langword="null"/> when the seat is to stay borrowed.
    /// Its credential names the license without a password, id token or code.
    /// </summary>
    public ReleaseRequest? ReleaseRequest { get; }

    /// <summary>The feature seat to release before the license's, when both <c>--feature</c> and <c>--release</c> were given.</summary>
    public FeatureReleaseRequest? FeatureReleaseRequest
        => FeatureRequest is { } feature && ReleaseRequest is { } release
            ? new FeatureReleaseRequest(release.Product, feature.Feature, release.HardwareId, release.Credential)
            : null;

    /// <summary>Whether the arguments ask for the usage text.</summary>
    public static bool AsksForHelp(string[] args) => Array.Exists(args, arg => arg is "--help" or "-h");

    /// <summary>Reads the settings, or says in <paramref name="problems"/> which ones to give or fix.</summary>
    public static bool TryLoad(string[] args, [NotNullWhen(true)] out BorrowSettings? settings, out List<string> problems)
    {
        settings = null;
        problems = [];
        Dictionary<string, string> given = ParseArguments(args, problems);
        if (problems.Count > 0)
        {
            return false;
        }

        string? Read(string option) => ReadOption(given, option);

        // With no server named, the sample borrows from a local emulator seeded with a demo.
        bool useEmulator = Read("base-address") is null && Read("api-key") is null && Read("shared-key") is null;
        var clientOptions = new LicenseClientOptions { ApiKey = Read("api-key"), SharedKey = Read("shared-key") };
        if (!useEmulator && clientOptions.ApiKey is null)
        {
            problems.Add(Describe("api-key"));
        }

        if (!useEmulator && clientOptions.SharedKey is null)
        {
            problems.Add(Describe("shared-key"));
        }

        string? product = Read("product") ?? (useEmulator ? DemoProduct : null);
        if (product is null)
        {
            problems.Add(Describe("product"));
        }

        bool release = given.ContainsKey("release");
        (LicenseCredential? credential, LicenseCredential? releaseCredential) = ReadCredential(Read, useEmulator, release, problems);
        if (Read("base-address") is string address)
        {
            try
            {
                clientOptions.BaseAddress = new Uri(address, UriKind.Absolute);
            }
            catch (Exception ex) when (ex is UriFormatException or ArgumentException)
            {
                problems.Add($"{Describe("base-address")}: an absolute http or https address, such as {LicenseClientOptions.DefaultBaseAddress}");
            }
        }

        if (Read("server-public-key") is string keyFile)
        {
            try
            {
                clientOptions.ServerPublicKey = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add($"{Describe("server-public-key")}: a readable PEM file ({ex.Message})");
            }
        }

        Instant? until = null;
        if (Read("until") is string untilText && untilText != "max")
        {
            ParseResult<Instant> parsed = InstantPattern.ExtendedIso.Parse(untilText);
            if (parsed.Success)
            {
                until = parsed.Value;
            }
            else
            {
                problems.Add("--until: an ISO 8601 UTC instant, such as 2030-01-02T03:04:05Z, or max");
            }
        }

        if (product is null || credential is null || problems.Count > 0)
        {
            return false;
        }

        string? seedFile = Read("seed");
        if (!useEmulator && seedFile is not null)
        {
            problems.Add("--seed: only for the local emulator, when no server is given.");
            return false;
        }

        string hardwareId = Read("hardware-id") ?? MachineHardwareId();
        var request = new BorrowRequest(product, hardwareId, credential) { BorrowedUntil = until };
        FeatureBorrowRequest? featureRequest = Read("feature") is string feature
            ? new FeatureBorrowRequest(product, feature, hardwareId, credential)
            : null;
        ReleaseRequest? releaseRequest = releaseCredential is null ? null : new ReleaseRequest(product, hardwareId, releaseCredential);
        settings = new BorrowSettings(useEmulator ? null : clientOptions, seedFile, request, featureRequest, releaseRequest, Read("receipts") ?? DefaultReceiptFolder(useEmulator));
        return true;
    }

    /// <summary>Whether the arguments ask for an offline check of the stored receipt (<c>--offline</c>).</summary>
    public static bool AsksForOffline(string[] args) => Array.Exists(args, arg => arg == "--offline");

    /// <summary>
    /// The settings of an offline check: the product, hardware id and feature to check the stored receipt against,
    /// where the receipts are, and the key that verifies them: <c>--server-public-key</c>; else, when no server is
    /// named, the emulator's key kept beside the receipts; else the production key.
    /// </summary>
    public static bool TryLoadOffline(string[] args, [NotNullWhen(true)] out OfflineSettings? settings, out List<string> problems)
    {
        settings = null;
        problems = [];
        Dictionary<string, string> given = ParseArguments(args, problems);
        if (problems.Count > 0)
        {
            return false;
        }

        string? Read(string option) => ReadOption(given, option);

        bool useEmulator = Read("base-address") is null && Read("api-key") is null && Read("shared-key") is null;
        string? product = Read("product") ?? (useEmulator ? DemoProduct : null);
        if (product is null)
        {
            problems.Add(Describe("product"));
            return false;
        }

        string folder = Read("receipts") ?? DefaultReceiptFolder(useEmulator);
        string? keyFile = Read("server-public-key") ?? (useEmulator ? Path.Combine(folder, EmulatorKeyFile) : null);
        string? key = null;
        if (keyFile is not null)
        {
            try
            {
                key = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add($"The server's public key could not be read from {keyFile} ({ex.Message}); borrow online first, or give --server-public-key.");
                return false;
            }
        }

        settings = new OfflineSettings(product, Read("hardware-id") ?? MachineHardwareId(), Read("feature"), key, folder);
        return true;
    }

    /// <summary>
    /// The credential the settings give: a license key, a username and password, or an identity provider's
    /// id token or authorization code with its customer account code. With the emulator and no credential,
    /// the demo seed's license key. With <c>--release</c>, also the credential that releases the seat: the
    /// same license key or user (a user's password is not sent on release), or, after a sign-in through an
    /// identity provider, the user it signs in, named by <c>--username</c>: a release takes no id token or code.
    /// </summary>
    private static (LicenseCredential? Borrow, LicenseCredential? Release) ReadCredential(
        Func<string, string?> read, bool useEmulator, bool release, List<string> problems)
    {
        string? licenseKey = read("license-key");
        string? username = read("username");
        string? password = read("password");
        string? idToken = read("id-token");
        string? code = read("code");
        string? account = read("customer-account-code");
        bool signIn = (idToken ?? code) is not null;

        // With an id token or a code, a username alone is not a credential: it names the user to release.
        string? userKind = signIn && password is null ? null : username ?? password;
        int kinds = new[] { licenseKey, userKind, idToken, code }.Count(value => value is not null);
        if (kinds > 1)
        {
            problems.Add("Give one credential: a license key, a username and password, an id token, or an authorization code.");
            return (null, null);
        }

        if (kinds == 0)
        {
            if (useEmulator)
            {
                LicenseCredential demo = LicenseCredential.FromLicenseKey(DemoLicenseKey);
                return (demo, release ? demo : null);
            }

            problems.Add($"{Describe("license-key")} (a key-based license); or --username and --password (a user-based license); "
                + "or --id-token or --code with --customer-account-code (an identity provider's sign-in)");
            return (null, null);
        }

        if (signIn && account is null)
        {
            problems.Add(Describe("customer-account-code"));
            return (null, null);
        }

        if (signIn && release && username is null)
        {
            problems.Add("--release with --id-token or --code needs --username (or LICENSECLIENT_USERNAME), the user the identity provider signs in: "
                + "a release names the license by its key or its user, never by an id token or a code.");
            return (null, null);
        }

        if (signIn && !release && username is not null)
        {
            problems.Add("--username with --id-token or --code names the user whose seat --release gives back: add --release, or leave --username out.");
            return (null, null);
        }

        LicenseCredential? borrow = (licenseKey, username, password, idToken, code) switch
        {
            (string key, _, _, _, _) => LicenseCredential.FromLicenseKey(key),
            (_, string user, string secret, _, _) => LicenseCredential.FromUser(user, secret),
            (_, _, _, string token, _) => LicenseCredential.FromIdToken(token, account!),
            (_, _, _, _, string authorizationCode) => LicenseCredential.FromAuthorizationCode(authorizationCode, account!),
            (_, null, _, _, _) => Missing("username"),
            _ => Missing("password"),
        };

        // A UserCredential sends only its username on release; a sign-in's user is released by name.
        LicenseCredential? releaseCredential = borrow is null || !release ? null
            : signIn ? LicenseCredential.FromUsername(username!)
            : borrow;
        return (borrow, releaseCredential);

        LicenseCredential? Missing(string option)
        {
            problems.Add(Describe(option));
            return null;
        }
    }

    /// <summary>
    /// A hardware id for this machine. It must not change between runs: borrowing again with the same
    /// id extends this device's borrow, while a new id would take another seat. So it is derived from the
    /// machine's name and platform only, not from versions that change with updates.
    /// </summary>
    private static string MachineHardwareId()
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Environment.MachineName}|{Environment.OSVersion.Platform}"));
        return Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>An option's value: from the command line, else from its environment variable; blank counts as not given.</summary>
    private static string? ReadOption(Dictionary<string, string> given, string option)
    {
        string? value = given.TryGetValue(option, out string? argument)
            ? argument
            : Options[option] is string variable ? Environment.GetEnvironmentVariable(variable) : null;
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>The given options by name; a problem for the first argument that is not a known option with a value.</summary>
    private static Dictionary<string, string> ParseArguments(string[] args, List<string> problems)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? value = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            // Only option names are echoed: a stray argument may be part of a secret.
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"Argument {i + 1} is not an option; options start with --.");
                break;
            }

            if (!Options.ContainsKey(name[2..]))
            {
                problems.Add($"Unknown option {name}.");
                break;
            }

            if (Flags.Contains(name[2..]))
            {
                if (value is not null)
                {
                    problems.Add($"{name} takes no value.");
                    break;
                }

                given[name[2..]] = "";
                continue;
            }

            value ??= i + 1 < args.Length ? args[++i] : null;
            if (value is null)
            {
                problems.Add($"{name} needs a value.");
                break;
            }

            given[name[2..]] = value;
        }

        return given;
    }

    /// <summary>Names an option and its environment variable.</summary>
    private static string Describe(string option) => $"--{option} or {Options[option]}";
}
