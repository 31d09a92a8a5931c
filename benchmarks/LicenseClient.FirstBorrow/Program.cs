using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Benchmarks;

namespace LicenseClient.FirstBorrow;

/// <summary>
/// The first borrow in a fresh process. <c>serve {file}</c> starts the signed-answer server, writes its address and
/// public key to the file and runs until its input closes; <c>client {file}</c> and <c>floor {file}</c> each make
/// one borrow from it, with <see cref="LicenseApiClient"/> or with the hand-written floor, and print how many
/// milliseconds it took from creating the client to reading the answer. <c>first-borrow.sh</c> runs them.
/// </summary>
public static class Program
{
    /// <summary>The request body the floor posts: the bytes <see cref="LicenseApiClient"/> writes for <see cref="Borrowing.Request"/>.</summary>
    private const string FloorBody =
        """{"product":"product-x","hardware_id":"hw-1234","borrowed_until":"2030-01-02T03:04:05.000Z","license_key":"AAAA-BBBB-CCCC","sdk_ver":"LicenseClient/0.1.0"}""";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] is not ("serve" or "client" or "floor"))
        {
            await Console.Error.WriteLineAsync("Usage: LicenseClient.FirstBorrow serve|client|floor {server file}");
            return 2;
        }

        if (args[0] == "serve")
        {
            await using SignedAnswerServer server = await SignedAnswerServer.StartAsync();
            await File.WriteAllTextAsync(args[1], server.BaseAddress + "\n" + server.PublicKeyPem);
            await Console.In.ReadToEndAsync();
            return 0;
        }

        string[] lines = await File.ReadAllLinesAsync(args[1]);
        var baseAddress = new Uri(lines[0]);
        string publicKeyPem = string.Join("\n", lines[1..]);

        long started = Stopwatch.GetTimestamp();
        if (args[0] == "client")
        {
            using var client = new LicenseApiClient(new LicenseClientOptions
            {
                BaseAddress = baseAddress,
                ApiKey = Borrowing.ApiKey,
                SharedKey = Borrowing.SharedKey,
                ServerPublicKey = publicKeyPem,
            });
            await client.BorrowAsync(Borrowing.Request);
        }
        else
        {
            using var floor = new FloorClient(baseAddress, publicKeyPem, Borrowing.ApiKey, Borrowing.SharedKey, System.Text.Encoding.UTF8.GetBytes(FloorBody));
            await floor.BorrowAsync(CancellationToken.None);
        }

        Console.WriteLine(Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }
}
