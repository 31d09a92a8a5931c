using LicenseClient.Http;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient.Floating;

/// <summary>The License API's four floating-license endpoints, each described once for the pipeline.</summary>
internal static class FloatingOperations
{
    public static readonly LicenseOperation<BorrowRequest, BorrowedLicense> Borrow = new(
        LicenseApiOperation.Borrow,
        "api/v4/floating/borrow",
        successIsSigned: true,
        request => WriteBorrow(request, feature: null, request.BorrowedUntil),
        (request, answer) =>
        {
            BorrowAnswer borrowed = ReadBorrow(answer);
            return new BorrowedLicense(borrowed.BorrowedUntil, borrowed.MaxBorrowTime, borrowed.DeviceId, borrowed.LicenseId)
            {
                CompanyId = borrowed.CompanyId,
                Receipt = ReceiptOf(request, feature: null, answer),
            };
        });

    public static readonly LicenseOperation<ReleaseRequest, Released> Release = new(
        LicenseApiOperation.Release,
        "api/v4/floating/release",
        successIsSigned: false,
        request => WriteRelease(request, feature: null),
        (_, _) => default);

    public static readonly LicenseOperation<FeatureBorrowRequest, BorrowedFeature> BorrowFeature = new(
        LicenseApiOperation.BorrowFeature,
        "api/v4/floating/feature_borrow",
        successIsSigned: true,
        request => WriteBorrow(request, request.Feature, request.BorrowedUntil),
        (request, answer) =>
        {
            BorrowAnswer borrowed = ReadBorrow(answer);
            return new BorrowedFeature(request.Feature, borrowed.BorrowedUntil, borrowed.MaxBorrowTime, borrowed.DeviceId, borrowed.LicenseId)
            {
                CompanyId = borrowed.CompanyId,
                Receipt = ReceiptOf(request, request.Feature, answer),
            };
        });

    public static readonly LicenseOperation<FeatureReleaseRequest, Released> ReleaseFeature = new(
        LicenseApiOperation.ReleaseFeature,
        "api/v4/floating/feature_release",
        successIsSigned: false,
        request => WriteRelease(request, request.Feature),
        (_, _) => default);

    private static byte[] WriteBorrow(FloatingRequest request, string? feature, Instant? borrowedUntil)
    {
        var body = new FloatingRequestBody { Feature = feature };
        request.WriteTo(body);
        return FloatingJson.Write(body, borrow: true, borrowedUntil);
    }

    private static byte[] WriteRelease(FloatingRequest request, string? feature)
    {
        var body = new FloatingRequestBody { Feature = feature };
        request.WriteTo(body);
        return FloatingJson.Write(body, borrow: false, borrowedUntil: null);
    }

    /// <summary>What the answer proves, kept with the request's product, hardware id and feature (never its credential).</summary>
    private static BorrowReceipt ReceiptOf(FloatingRequest request, string? feature, LicenseAnswer answer)
        => new(answer.Body, answer.Signature, answer.ServerDate, request.Product, request.HardwareId, feature);

    /// <summary>The fields of a borrow or feature borrow answer, each required but <c>company.id</c>.</summary>
    /// <exception cref="LicenseApiException">The answer is not JSON, or lacks a field (<see cref="LicenseErrorCodes.InvalidResponse"/>).</exception>
    private static BorrowAnswer ReadBorrow(LicenseAnswer answer)
    {
        BorrowResponseBody body = AnswerReader.ReadBorrow(answer);
        return new BorrowAnswer(
            body.BorrowedUntil ?? throw Missing(answer, "borrowed_until"),
            body.MaxBorrowTime ?? throw Missing(answer, "max_borrow_time"),
            body.DeviceId ?? throw Missing(answer, "device_id"),
            body.LicenseId ?? throw Missing(answer, "license_id"),
            body.Company?.Id);
    }

    private static LicenseApiException Missing(LicenseAnswer answer, string field)
        => AnswerReader.InvalidResponse(answer, $"a borrow without {field}", null);

    private readonly record struct BorrowAnswer(Instant BorrowedUntil, Duration MaxBorrowTime, long DeviceId, long LicenseId, long? CompanyId);
}
