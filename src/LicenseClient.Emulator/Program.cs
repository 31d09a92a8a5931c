using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using LicenseClient.Testing;

namespace LicenseClient.Emulator;

/// <summary>
/// Runs the License API emulator as a server on loopback until Ctrl+C or SIGTERM, for apps and tests in any
/// language.
/// </summary>
internal static class Program
{
    private const int Stopped = 0;
    private const int Failed = 1;
    private const int BadArguments = 2;

    private static readonly string Usage = $"""
        Runs a local License API emulator on loopback (127.0.0.1) until Ctrl+C or SIGTERM: the floating-license
        endpoints under /api/v4/floating/, with the API's authorization checks, error codes, seat accounting and
        signed answers.

        Usage: licenseclient-emulator [options]
           or: dotnet run --project src/LicenseClient.Emulator -- [options]

          --seed <file>             the seed file (products, licenses, devices...); default: the built-in demo seed
          --port <port>             the loopback port; default: 0, a free port (the address is printed on start)
          --api-key <key>           the API key requests must be signed with; default: emulator-api-key
          --shared-key <key>        the shared key requests must be signed with; default: emulator-shared-key
          --public-key-out <file>   writes the public key that verifies the answers' LicenseSignature (PEM)
          --auto-activate           activates any device on its first borrow (licenses whose seed says nothing);
                                    by default, as the License API, only activated devices may borrow
          --no-control              turns off the control endpoints under {LicenseApiEmulator.ControlPath}/ (on by default)
          --help                    shows this text

        Control endpoints (loopback only): GET {LicenseApiEmulator.ControlPath}/state, POST {LicenseApiEmulator.ControlPath}/faults,
        DELETE {LicenseApiEmulator.ControlPath}/faults, POST {LicenseApiEmulator.ControlPath}/clock, POST {LicenseApiEmulator.ControlPath}/reset.
        Exit codes: 0 stopped, 1 could not start, 2 invalid options.
        """;

    private static async Task<int> Main(string[] args)
    {
        if (Array.Exists(args, arg => arg is "--help" or "-h" or "-?"))
        {
            Console.WriteLine(Usage);
            return Stopped;
        }

        if (!TryParse(args, out Settings settings, out List<string> problems))
        {
            Console.Error.WriteLine("Invalid options:");
            problems.ForEach(problem => Console.Error.WriteLine($"  {problem}"));
            Console.Error.WriteLine("Run with --help for details.");
            return BadArguments;
        }

        EmulatorOptions options;
        try
        {
            options = new EmulatorOptions
            {
                Port = settings.Port,
                ApiKey = settings.ApiKey,
                SharedKey = settings.SharedKey,
                Seed = settings.SeedFile is null ? EmulatorSeed.Demo() : EmulatorSeed.Load(settings.SeedFile),
                AutoActivateDevices = settings.AutoActivate,
                EnableControl = settings.Control,
            };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"The seed file could not be read: {error.Message}");
            return BadArguments;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            // Stop here, in order, instead of being killed: the emulator closes its connections first.
            context.Cancel = true;
            stop.TrySetResult();
        }

        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        LicenseApiEmulator emulator;
        try
        {
            emulator = await LicenseApiEmulator.StartAsync(options).ConfigureAwait(false);
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"The emulator could not start on port {settings.Port}: {error.Message}");
            return Failed;
        }

        await using (emulator)
        {
            if (settings.PublicKeyFile is string keyFile && !TryWritePublicKey(keyFile, emulator.PublicKeyPem))
            {
                return Failed;
            }

            Console.WriteLine($"License API emulator listening on {emulator.BaseAddress}");
            Console.WriteLine($"  Seed:               {settings.SeedFile ?? "built-in demo seed"}");
            Console.WriteLine($"  Public key (PEM):   {settings.PublicKeyFile ?? "not written; use --public-key-out <file>"}");
            Console.WriteLine(settings.Control
                ? $"  Control endpoints:  {new Uri(emulator.BaseAddress, LicenseApiEmulator.ControlPath.TrimStart('/') + "/state")}"
                : "  Control endpoints:  off");
            Console.WriteLine("Press Ctrl+C to stop.");
            await stop.Task.ConfigureAwait(false);
            Console.WriteLine("Stopping.");
        }

        return Stopped;
    }

    private static bool TryWritePublicKey(string file, string pem)
    {
        try
        {
            File.WriteAllText(file, pem);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The public key could not be written to {file}: {error.Message}");
            return false;
        }
    }

    private static bool TryParse(string[] args, out Settings settings, out List<string> problems)
    {
        settings = new Settings();
        problems = [];
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--auto-activate":
                    settings.AutoActivate = true;
                    continue;
                case "--no-control":
                    settings.Control = false;
                    continue;
                case "--seed" or "--port" or "--api-key" or "--shared-key" or "--public-key-out":
                    break;
                default:
                    problems.Add($"{name}: unknown option.");
                    continue;
            }

            if (i + 1 >= args.Length || string.IsNullOrWhiteSpace(args[i + 1]))
            {
                problems.Add($"{name}: needs a value.");
                continue;
            }

            string value = args[++i];
            switch (name)
            {
                case "--seed":
                    settings.SeedFile = value;
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= IPEndPoint.MaxPort:
                    settings.Port = port;
                    break;
                case "--port":
                    problems.Add($"--port: '{value}' is not a port from 0 (a free port) to {IPEndPoint.MaxPort}.");
                    break;
                case "--api-key":
                    settings.ApiKey = value;
                    break;
                case "--shared-key":
                    settings.SharedKey = value;
                    break;
                default:
                    settings.PublicKeyFile = value;
                    break;
            }
        }

        return problems.Count == 0;
    }

    /// <summary>The command line's settings.</summary>
    private sealed class Settings
    {
        public string? SeedFile { get; set; }

        public int Port { get; set; }

        public string ApiKey { get; set; } = new EmulatorOptions().ApiKey;

        public string SharedKey { get; set; } = new EmulatorOptions().SharedKey;

        public string? PublicKeyFile { get; set; }

        public bool AutoActivate { get; set; }

        public bool Control { get; set; } = true;
    }
}
