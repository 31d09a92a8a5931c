using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LicenseClient;
using NodaTime;

namespace LicenseClient.AotCanary;

/// <summary>
/// Borrows from a loopback server and releases the seat, and checks the request bodies and the parsed answer; then
/// keeps the borrow's receipt in a file store, reads it back and checks it offline. Exits 0 and prints "canary ok"
/// when all are right.
/// </summary>
internal static class Program
{
    private const string Answer = "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":1.5,\"device_id\":11,\"license_id\":22}";

    private static async Task<int> Main()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var key = RSA.Create(2048);
        string signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(Answer), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Task<string> received = ServeOnceAsync(listener, $"Content-Type: application/json\r\nLicenseSignature: {signature}\r\n", Answer);

        var options = new LicenseClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"),
            ApiKey = "canary-key",
            SharedKey = "canary-shared-key",
            ServerPublicKey = key.ExportSubjectPublicKeyInfoPem(),
        };
        using var client = new LicenseApiClient(options);
        BorrowedLicense borrowed = await client.BorrowAsync(
            new BorrowRequest("product", "hardware", LicenseCredential.FromUser("ann", "pw")) { LicenseId = 22 });
        string body = await received;
        Task<string> releaseReceived = ServeOnceAsync(listener, "", "");
        await client.ReleaseAsync(new ReleaseRequest("product", "hardware", LicenseCredential.FromUser("ann", "pw")));
        string releaseBody = await releaseReceived;

        var expected = new BorrowedLicense(Instant.FromUtc(2030, 1, 2, 3, 4, 5), Duration.FromMinutes(90), 11, 22);
        bool bodyOk = body.StartsWith(
            "{\"product\":\"product\",\"hardware_id\":\"hardware\",\"borrowed_until\":null,\"username\":\"ann\",\"password\":\"pw\",\"license_id\":22,\"sdk_ver\":\"LicenseClient/",
            StringComparison.Ordinal);
        bool releaseOk = releaseBody.StartsWith("{\"product\":\"product\",\"hardware_id\":\"hardware\",\"username\":\"ann\",\"sdk_ver\":\"LicenseClient/", StringComparison.Ordinal);
        if (!bodyOk || !releaseOk || borrowed != expected)
        {
            Console.Error.WriteLine($"canary failed: body {body}; release body {releaseBody}; result {borrowed}");
            return 1;
        }

        ReceiptCheck check = await CheckReceiptOfflineAsync(borrowed.Receipt!, key.ExportSubjectPublicKeyInfoPem());
        if (!check.IsValid || check.BorrowedUntil != expected.BorrowedUntil)
        {
            Console.Error.WriteLine($"canary failed: receipt check {check}");
            return 1;
        }

        Console.WriteLine("canary ok");
        return 0;
    }

    /// <summary>Saves the receipt to a file store, reads it back through its JSON document, and checks it at a fixed time.</summary>
    private static async Task<ReceiptCheck> CheckReceiptOfflineAsync(BorrowReceipt receipt, string serverPublicKey)
    {
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "licenseclient-canary-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new FileBorrowReceiptStore(folder);
            await store.SaveAsync(BorrowReceipt.Parse(receipt.ToJson()));
            var checker = new BorrowReceiptChecker(serverPublicKey, new FixedClock(Instant.FromUtc(2030, 1, 2, 3, 0, 0)));
            return await checker.CheckStoredAsync(store, receipt.Product, "hardware");
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    /// <summary>Answers one HTTP request with status 200, <paramref name="headers"/> and <paramref name="answer"/>, and returns the request's body.</summary>
    private static async Task<string> ServeOnceAsync(TcpListener listener, string headers, string answer)
    {
        using TcpClient connection = await listener.AcceptTcpClientAsync();
        NetworkStream stream = connection.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[8192];
        int headerEnd;
        int contentLength = -1;
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return request.ToString();
            }

            request.Append(Encoding.UTF8.GetString(buffer, 0, read));
            string text = request.ToString();
            headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }

            if (contentLength < 0)
            {
                foreach (string line in text[..headerEnd].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }

            if (Encoding.UTF8.GetByteCount(text[(headerEnd + 4)..]) >= contentLength)
            {
                break;
            }
        }

        byte[] response = Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\n{headers}Content-Length: {Encoding.UTF8.GetByteCount(answer)}\r\nConnection: close\r\n\r\n{answer}");
        await stream.WriteAsync(response);
        return request.ToString()[(headerEnd + 4)..];
    }
}
