using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient.Tests;

/// <summary>The netstandard2.0 build's receipt store, which replaces files with File.Replace and File.Move, and its checker.</summary>
public sealed class ReceiptStoreTests : IDisposable
{
    private const string BodyText = "{\"borrowed_until\":\"2030-01-02T00:00:00.000Z\",\"max_borrow_time\":12,\"device_id\":1,\"license_id\":2}";
    private static readonly Instant Issued = Instant.FromUtc(2030, 1, 1, 12, 0, 0);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "licenseclient-ns-receipts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Receipts_are_created_replaced_checked_and_deleted()
    {
        using RSA key = RSA.Create(2048);
        byte[] body = Encoding.UTF8.GetBytes(BodyText);
        string signature = Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var store = new FileBorrowReceiptStore(_folder);

        await store.SaveAsync(new BorrowReceipt(body, signature, Issued, "p", "hw"));
        await store.SaveAsync(new BorrowReceipt(body, signature, Issued + Duration.FromMinutes(1), "p", "hw"));
        ReceiptLoadResult load = await new FileBorrowReceiptStore(_folder).LoadAsync("p");
        ReceiptCheck check = new BorrowReceiptChecker(key.ExportSubjectPublicKeyInfoPem(), new FixedClock(Issued + Duration.FromHours(1)))
            .Check(load.Receipt!, "p", "hw");
        await store.DeleteAsync("p");

        Assert.Equal(Issued + Duration.FromMinutes(1), load.Receipt!.ServerDate);
        Assert.Equal(ReceiptCheckStatus.Valid, check.Status);
        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync("p")).Status);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
