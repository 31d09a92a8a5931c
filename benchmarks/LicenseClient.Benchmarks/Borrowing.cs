using System;
using NodaTime;

namespace LicenseClient.Benchmarks;

/// <summary>The one borrow every case sends, and the keys it is signed with.</summary>
public static class Borrowing
{
    public const string ApiKey = "benchmark-api-key";
    public const string SharedKey = "benchmark-shared-key";

    public static BorrowRequest Request { get; } = new("product-x", "hw-1234", LicenseCredential.FromLicenseKey("AAAA-BBBB-CCCC"))
    {
        BorrowedUntil = Instant.FromUtc(2030, 1, 2, 3, 4, 5),
    };

    /// <summary>Options for a client of <paramref name="server"/> at <paramref name="baseAddress"/>.</summary>
    public static LicenseClientOptions Options(SignedAnswerServer server, Uri baseAddress, bool verify = true) => new()
    {
        BaseAddress = baseAddress,
        ApiKey = ApiKey,
        SharedKey = SharedKey,
        ServerPublicKey = server.PublicKeyPem,
        VerifyResponseSignatures = verify,
    };
}
