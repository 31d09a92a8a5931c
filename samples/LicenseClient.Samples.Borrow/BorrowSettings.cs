using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
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
        ["hardware-id"] = null,
        ["until"] = null,
    };

    private BorrowSettings(LicenseClientOptions clientOptions, BorrowRequest request)
    {
        ClientOptions = clientOptions;
        Request = request;
    }

    /// <summary>Where to send the request and how to sign it.</summary>
    public LicenseClientOptions ClientOptions { get; }

    /// <summary>What to borrow, for which device, with which credential.</summary>
    public BorrowRequest Request { get; }

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

        string? Read(string option)
        {
            string? value = given.TryGetValue(option, out string? argument)
                ? argument
                : Options[option] is string variable ? Environment.GetEnvironmentVariable(variable) : null;
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        var clientOptions = new LicenseClientOptions { ApiKey = Read("api-key"), SharedKey = Read("shared-key") };
        if (clientOptions.ApiKey is null)
        {
            problems.Add(Describe("api-key"));
        }

        if (clientOptions.SharedKey is null)
        {
            problems.Add(Describe("shared-key"));
        }

        string? product = Read("product");
        if (product is null)
        {
            problems.Add(Describe("product"));
        }

        string? licenseKey = Read("license-key");
        string? username = Read("username");
        string? password = Read("password");
        LicenseCredential? credential = (licenseKey, username, password) switch
        {
            (string key, null, null) => LicenseCredential.FromLicenseKey(key),
            (null, string user, string secret) => LicenseCredential.FromUser(user, secret),
            _ => null,
        };
        if (credential is null)
        {
            problems.Add((licenseKey, username, password) switch
            {
                (not null, _, _) => "Give a license key, or a username and password, not both.",
                (null, not null, null) => Describe("password"),
                (null, null, not null) => Describe("username"),
                _ => $"{Describe("license-key")} (a key-based license); or --username and --password, "
                    + $"or {Options["username"]} and {Options["password"]} (a user-based license)",
            });
        }

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

        Instant? until = null;
        if (Read("until") is string untilText)
        {
            ParseResult<Instant> parsed = InstantPattern.ExtendedIso.Parse(untilText);
            if (parsed.Success)
            {
                until = parsed.Value;
            }
            else
            {
                problems.Add("--until: an ISO 8601 UTC instant, such as 2030-01-02T03:04:05Z");
            }
        }

        if (product is null || credential is null || problems.Count > 0)
        {
            return false;
        }

        var request = new BorrowRequest(product, Read("hardware-id") ?? MachineHardwareId(), credential) { BorrowedUntil = until };
        settings = new BorrowSettings(clientOptions, request);
        return true;
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
