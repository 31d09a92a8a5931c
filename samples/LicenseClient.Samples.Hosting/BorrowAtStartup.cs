using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LicenseClient.Samples.Hosting;

/// <summary>What to borrow: the <c>Borrow</c> section of appsettings.json.</summary>
internal sealed class BorrowSettings
{
    public string Product { get; set; } = "";

    public string LicenseKey { get; set; } = "";

    /// <summary>The device's hardware id; empty for an id derived from this machine's name.</summary>
    public string HardwareId { get; set; } = "";

    /// <summary>
    /// Your LicenseSpring company's id: offline, a receipt of another company's license is refused. Set it in a real
    /// app (the License API signs every company's answers with the same key); empty accepts any company's receipt.
    /// </summary>
    public long? CompanyId { get; set; }
}

/// <summary>
/// Borrows a seat when the app starts (the client keeps its receipt), reports the result, then stops the app. When the
/// License API cannot be reached, it checks the stored receipt instead, and starts offline if it is valid.
/// </summary>
internal sealed class BorrowAtStartup(
    ILicenseApiClient client,
    IBorrowReceiptStore receipts,
    IOptions<LicenseClientOptions> clientOptions,
    IOptions<BorrowSettings> settings,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        BorrowSettings borrow = settings.Value;
        string hardwareId = borrow.HardwareId.Length > 0
            ? borrow.HardwareId
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..32];
        try
        {
            BorrowedLicense borrowed = await client.BorrowAsync(
                new BorrowRequest(borrow.Product, hardwareId, LicenseCredential.FromLicenseKey(borrow.LicenseKey)),
                stoppingToken);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Borrowed a floating seat of {borrow.Product} until {borrowed.BorrowedUntil.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss zzz} (license {borrowed.LicenseId}, device {borrowed.DeviceId})."));
        }
        catch (ReceiptNotSavedException error)
        {
            // The seat is granted: run online, and save error.Receipt again when the store works.
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Borrowed a floating seat of {borrow.Product} until {error.BorrowedLicense!.BorrowedUntil.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}, but its receipt could not be kept for offline use: {error.InnerException?.Message}"));
        }
        catch (LicenseApiException error) when (error.ErrorCode is LicenseErrorCodes.ConnectionFailed or LicenseErrorCodes.Timeout or LicenseErrorCodes.ServiceUnavailable)
        {
            Environment.ExitCode = await StartOfflineAsync(borrow.Product, hardwareId, borrow.CompanyId, error, stoppingToken);
        }
        catch (LicenseApiException error)
        {
            Console.Error.WriteLine($"Borrow failed ({error.ErrorCode}, after {error.Attempts} attempt(s)): {error.Message}");
            Environment.ExitCode = 1;
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"Check the Borrow section of appsettings.json: {error.Message}");
            Environment.ExitCode = 2;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>The License API cannot be reached: check the stored receipt with the server's key, with no network.</summary>
    private async Task<int> StartOfflineAsync(string product, string hardwareId, long? companyId, LicenseApiException error, CancellationToken cancellationToken)
    {
        var checker = new BorrowReceiptChecker(clientOptions.Value.ServerPublicKey, companyId: companyId);
        ReceiptCheck check = await checker.CheckStoredAsync(receipts, product, hardwareId, cancellationToken: cancellationToken);
        if (check.IsValid)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"The License API cannot be reached ({error.ErrorCode}): starting offline from the stored borrow of {product}, valid until {check.BorrowedUntil!.Value.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}."));
            return 0;
        }

        Console.Error.WriteLine($"The License API cannot be reached ({error.ErrorCode}), and the stored borrow cannot be used ({check.Status}): {check.Message}");
        return 1;
    }
}
