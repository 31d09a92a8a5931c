using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient;
using NodaTime;

// A child process for the crash tests, which kill it and look at what it left behind. Three modes:
//
// LicenseClient.ReceiptWriter <folder> <writer-name>
//   Saves receipts for product "crash-test" in <folder>, one after another, until killed. Receipt n's body is
//   {"writer":"<name>","n":n,"pad":"x…x"} with (n % 7 + 1) × 8 KiB of padding, so a torn file shows as a body
//   whose padding is not the length n says. Right before each save it prints "saving n", so a parent that kills it on
//   that line kills it mid-write; after each save it prints "saved n".
//
// LicenseClient.ReceiptWriter journal <folder>
//   The same for the journal of pending releases: entry n, for product "crash-test", has license id n + 1 and a bundle
//   code of (n % 7 + 1) × 8 KiB, and is announced by "saving n" and "saved n".
//
// LicenseClient.ReceiptWriter hold-seat <folder> <base-address> <api-key> <shared-key> <public-key-pem-file> <product> <hardware-id> <license-key>
//   Acquires a FloatingSeat (receipts in <folder>), prints "held", and holds it until killed.
if (args is ["journal", string journalFolder])
{
    var store = new FileBorrowReceiptStore(journalFolder);
    for (long n = 0; ; n++)
    {
        var release = new PendingRelease("crash-test", "hw-journal", null, null, Instant.FromUnixTimeSeconds(n))
        {
            LicenseId = n + 1,
            BundleCode = new string('b', (int)(n % 7 + 1) * 8192),
        };
        Console.WriteLine("saving " + n.ToString(CultureInfo.InvariantCulture));
        await store.SavePendingReleaseAsync(release);
        Console.WriteLine("saved " + n.ToString(CultureInfo.InvariantCulture));
    }
}

if (args is ["hold-seat", string folder, string baseAddress, string apiKey, string sharedKey, string publicKeyFile, string product, string hardwareId, string licenseKey])
{
    var options = new LicenseClientOptions
    {
        BaseAddress = new Uri(baseAddress),
        ApiKey = apiKey,
        SharedKey = sharedKey,
        ServerPublicKey = await File.ReadAllTextAsync(publicKeyFile),
        ReceiptStore = new FileBorrowReceiptStore(folder),
    };
    using var client = new LicenseApiClient(options);
    FloatingSeat seat = await FloatingSeat.AcquireAsync(client, new SeatRequest(product, hardwareId, LicenseCredential.FromLicenseKey(licenseKey)));
    Console.WriteLine("held " + seat.BorrowedUntil);
    await Task.Delay(Timeout.Infinite);
}

if (args is [string receiptFolder, string writerName])
{
    var store = new FileBorrowReceiptStore(receiptFolder);
    for (long n = 0; ; n++)
    {
        string body = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"writer\":\"{writerName}\",\"n\":{n},\"pad\":\"{new string('x', (int)(n % 7 + 1) * 8192)}\"}}");
        var receipt = new BorrowReceipt(Encoding.UTF8.GetBytes(body), "signature-" + n.ToString(CultureInfo.InvariantCulture), null, "crash-test", "hw-" + writerName);
        Console.WriteLine("saving " + n.ToString(CultureInfo.InvariantCulture));
        await store.SaveAsync(receipt);
        Console.WriteLine("saved " + n.ToString(CultureInfo.InvariantCulture));
    }
}

Console.Error.WriteLine("usage: LicenseClient.ReceiptWriter <folder> <writer-name> | journal <folder> | hold-seat <folder> <base-address> <api-key> <shared-key> <public-key-pem-file> <product> <hardware-id> <license-key>");
return 2;
