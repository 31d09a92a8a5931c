using System;
using System.Globalization;
using System.Text;
using LicenseClient;

// Usage: LicenseClient.ReceiptWriter <folder> <writer-name>
// Saves receipts for product "crash-test" in <folder>, one after another, until killed. Receipt n's body is
// {"writer":"<name>","n":n,"pad":"x…x"} with (n % 7 + 1) × 8 KiB of padding, so a torn file shows as a body
// whose padding is not the length n says. Right before each save it prints "saving n", so a parent that kills it on
// that line kills it mid-write; after each save it prints "saved n".
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: LicenseClient.ReceiptWriter <folder> <writer-name>");
    return 2;
}

var store = new FileBorrowReceiptStore(args[0]);
for (long n = 0; ; n++)
{
    string body = string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"writer\":\"{args[1]}\",\"n\":{n},\"pad\":\"{new string('x', (int)(n % 7 + 1) * 8192)}\"}}");
    var receipt = new BorrowReceipt(Encoding.UTF8.GetBytes(body), "signature-" + n.ToString(CultureInfo.InvariantCulture), null, "crash-test", "hw-" + args[1]);
    Console.WriteLine("saving " + n.ToString(CultureInfo.InvariantCulture));
    await store.SaveAsync(receipt);
    Console.WriteLine("saved " + n.ToString(CultureInfo.InvariantCulture));
}
