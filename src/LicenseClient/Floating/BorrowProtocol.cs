using System.Text.Json;
using LicenseClient.Errors;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient.Floating;

/// <summary>The wire form of <c>POST api/v4/floating/borrow</c>: its body and its answers.</summary>
internal static class BorrowProtocol
{
    /// <summary>The endpoint's path, relative to the base address.</summary>
    public const string Path = "api/v4/floating/borrow";

    /// <summary>The UTF-8 JSON body for <paramref name="request"/>.</summary>
    public static byte[] CreateBody(BorrowRequest request)
    {
        var body = new BorrowRequestBody
        {
            Product = request.Product,
            HardwareId = request.HardwareId,
            BorrowedUntil = request.BorrowedUntil,
            LicenseId = request.LicenseId,
            BundleCode = request.BundleCode,
            SdkVersion = SdkInfo.Product,
        };
        request.Credential.WriteTo(body);
        return JsonSerializer.SerializeToUtf8Bytes(body, LicenseJsonContext.Default.BorrowRequestBody);
    }

    /// <summary>The borrowed license an answer carries, or the typed exception it stands for.</summary>
    /// <exception cref="LicenseApiException">An error answer, or one that could not be understood.</exception>
    public static BorrowedLicense ReadAnswer(LicenseAnswer answer)
    {
        if (!answer.IsSuccess)
        {
            throw AnswerReader.ReadError(answer, LicenseErrorMapper.ForBorrow);
        }

        BorrowResponseBody body = AnswerReader.ReadSuccess(answer, LicenseJsonContext.Default.BorrowResponseBody);
        if (body.BorrowedUntil is not Instant borrowedUntil)
        {
            throw AnswerReader.InvalidResponse(answer, "a borrow without borrowed_until", null);
        }

        if (body.MaxBorrowTime is not Duration maxBorrowTime)
        {
            throw AnswerReader.InvalidResponse(answer, "a borrow without max_borrow_time", null);
        }

        if (body.DeviceId is not long deviceId)
        {
            throw AnswerReader.InvalidResponse(answer, "a borrow without device_id", null);
        }

        if (body.LicenseId is not long licenseId)
        {
            throw AnswerReader.InvalidResponse(answer, "a borrow without license_id", null);
        }

        return new BorrowedLicense(borrowedUntil, maxBorrowTime, deviceId, licenseId);
    }
}
