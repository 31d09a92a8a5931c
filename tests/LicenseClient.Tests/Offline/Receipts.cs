using System;
using System.Text;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Offline;

/// <summary>Receipts signed with the test key, as the License API signs its borrow answers.</summary>
public static class Receipts
{
    public const string Product = "product-x";
    public const string HardwareId = "hw-1234";

    /// <summary>The server's time when it answered.</summary>
    public static readonly Instant Issued = Instant.FromUtc(2026, 11, 26, 12, 0, 0);

    /// <summary>When the borrow ends: 12 hours after <see cref="Issued"/>.</summary>
    public static readonly Instant Until = Issued + Duration.FromHours(12);

    public const string BodyText =
        "{\"borrowed_until\":\"2026-11-27T00:00:00.000Z\",\"max_borrow_time\":12,\"device_id\":23456,\"license_id\":12345,\"company\":{\"id\":276}}";

    public static byte[] Body => Encoding.UTF8.GetBytes(BodyText);

    /// <summary>A genuine receipt for <see cref="Product"/> on <see cref="HardwareId"/> (and <paramref name="feature"/>).</summary>
    public static BorrowReceipt Genuine(string? feature = null, Instant? serverDate = null)
        => new(Body, TestKeys.Sign(Body), serverDate ?? Issued, Product, HardwareId, feature);

    /// <summary>A checker with the test key, <paramref name="clock"/> and, when given, the company it expects.</summary>
    public static BorrowReceiptChecker Checker(IClock clock, Duration? tolerance = null, long? companyId = null)
        => new(TestKeys.PublicKeyPem, clock, tolerance, companyId);

    /// <summary>A fresh, empty folder under the temporary folder, deleted with the returned handle.</summary>
    public static TemporaryFolder NewFolder() => new();

    public sealed class TemporaryFolder : IDisposable
    {
        public TemporaryFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "licenseclient-receipts-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Path, recursive: true);
            }
            catch (System.IO.IOException)
            {
                // A child process may still hold a file for a moment; the temporary folder is the system's to clear.
            }
        }
    }
}
