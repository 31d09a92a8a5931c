using System;
using Microsoft.Extensions.Logging;

namespace LicenseClient.Diagnostics;

/// <summary>
/// The client's log messages, source-generated: each checks <see cref="ILogger.IsEnabled"/> before it formats
/// anything. None takes a credential; hardware ids only at debug level.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(LicenseClientEventIds.AttemptRetried, LogLevel.Warning, "{Operation} attempt {Attempt} failed with status {Status} ({ErrorCode}); retrying in {DelaySeconds} s.")]
    public static partial void AttemptRetried(ILogger logger, string operation, int attempt, int? status, string errorCode, double delaySeconds);

    [LoggerMessage(LicenseClientEventIds.CallFailed, LogLevel.Error, "{Operation} failed with status {Status} ({ErrorCode}) after {Attempts} attempt(s).")]
    public static partial void CallFailed(ILogger logger, string operation, int? status, string errorCode, int attempts);

    [LoggerMessage(LicenseClientEventIds.ClockSkewLearned, LogLevel.Warning, "The License API's clock is {OffsetSeconds} s ahead of this computer's (negative: behind); requests are dated on the License API's clock.")]
    public static partial void ClockSkewLearned(ILogger logger, double offsetSeconds);

    [LoggerMessage(LicenseClientEventIds.ClockCorrected, LogLevel.Warning, "{Operation} attempt {Attempt} was refused for its Date; sending it again at once, dated {OffsetSeconds} s off this computer's clock.")]
    public static partial void ClockCorrected(ILogger logger, string operation, int attempt, double offsetSeconds);

    [LoggerMessage(LicenseClientEventIds.TokenObtained, LogLevel.Debug, "OAuth access token obtained from {TokenEndpoint}, valid for {LifetimeSeconds} s.")]
    public static partial void TokenObtained(ILogger logger, string tokenEndpoint, double lifetimeSeconds);

    [LoggerMessage(LicenseClientEventIds.TokenRenewed, LogLevel.Debug, "OAuth access token renewed from {TokenEndpoint}, valid for {LifetimeSeconds} s.")]
    public static partial void TokenRenewed(ILogger logger, string tokenEndpoint, double lifetimeSeconds);

    [LoggerMessage(LicenseClientEventIds.SignatureMissing, LogLevel.Error, "The {Operation} answer from {ServerAddress} has no LicenseSignature header and is not believed.")]
    public static partial void SignatureMissing(ILogger logger, string operation, string serverAddress);

    [LoggerMessage(LicenseClientEventIds.SignatureInvalid, LogLevel.Error, "The {Operation} answer from {ServerAddress} has a LicenseSignature that does not verify and is not believed.")]
    public static partial void SignatureInvalid(ILogger logger, string operation, string serverAddress);

    [LoggerMessage(LicenseClientEventIds.CallStarting, LogLevel.Debug, "{Operation} of {Product} for hardware id {HardwareId} to {ServerAddress}.")]
    public static partial void CallStarting(ILogger logger, string operation, string product, string hardwareId, string serverAddress);

    [LoggerMessage(LicenseClientEventIds.ReceiptSaved, LogLevel.Information, "Receipt of {Product}{FeatureSuffix} saved, valid until {BorrowedUntil}.")]
    public static partial void ReceiptSaved(ILogger logger, string product, string featureSuffix, string borrowedUntil);

    [LoggerMessage(LicenseClientEventIds.ReceiptNotSaved, LogLevel.Error, "Receipt of {Product}{FeatureSuffix} could not be saved ({ExceptionType}); the borrow stands.")]
    public static partial void ReceiptNotSaved(ILogger logger, string product, string featureSuffix, string exceptionType);

    [LoggerMessage(LicenseClientEventIds.ReceiptLoaded, LogLevel.Information, "The License API is out of reach ({ErrorCode}); the seat of {Product}{FeatureSuffix} starts offline from its stored receipt, valid until {BorrowedUntil}.")]
    public static partial void ReceiptLoaded(ILogger logger, string errorCode, string product, string featureSuffix, string borrowedUntil);

    [LoggerMessage(LicenseClientEventIds.ReceiptRefused, LogLevel.Warning, "The License API is out of reach ({ErrorCode}) and the stored receipt of {Product}{FeatureSuffix} gives no offline seat: {Check}.")]
    public static partial void ReceiptRefused(ILogger logger, string errorCode, string product, string featureSuffix, string check);

    [LoggerMessage(LicenseClientEventIds.SeatHeld, LogLevel.Information, "Seat of {Product}{FeatureSuffix} held until {BorrowedUntil}.")]
    public static partial void SeatHeld(ILogger logger, string product, string featureSuffix, string borrowedUntil);

    [LoggerMessage(LicenseClientEventIds.SeatWaiting, LogLevel.Information, "No seat of {Product}{FeatureSuffix} is available ({ErrorCode}); attempt {Attempt}, trying again in {RetryInSeconds} s.")]
    public static partial void SeatWaiting(ILogger logger, string product, string featureSuffix, string errorCode, int attempt, double retryInSeconds);

    [LoggerMessage(LicenseClientEventIds.SeatRenewed, LogLevel.Information, "Seat of {Product}{FeatureSuffix} renewed until {BorrowedUntil}.")]
    public static partial void SeatRenewed(ILogger logger, string product, string featureSuffix, string borrowedUntil);

    [LoggerMessage(LicenseClientEventIds.SeatRenewalFailed, LogLevel.Warning, "Seat of {Product}{FeatureSuffix} could not be renewed ({ErrorCode}); it is held until {BorrowedUntil}, trying again in {RetryInSeconds} s.")]
    public static partial void SeatRenewalFailed(ILogger logger, string product, string featureSuffix, string errorCode, string borrowedUntil, double retryInSeconds);

    [LoggerMessage(LicenseClientEventIds.SeatLost, LogLevel.Error, "Seat of {Product}{FeatureSuffix} lost: the License API refused to renew it ({ErrorCode}).")]
    public static partial void SeatLost(ILogger logger, string product, string featureSuffix, string errorCode);

    [LoggerMessage(LicenseClientEventIds.SeatExpired, LogLevel.Error, "Seat of {Product}{FeatureSuffix} expired: it could not be renewed before its end ({ErrorCode}).")]
    public static partial void SeatExpired(ILogger logger, string product, string featureSuffix, string errorCode);

    [LoggerMessage(LicenseClientEventIds.SeatReleased, LogLevel.Information, "Seat of {Product}{FeatureSuffix} released.")]
    public static partial void SeatReleased(ILogger logger, string product, string featureSuffix);

    [LoggerMessage(LicenseClientEventIds.ReleaseJournalled, LogLevel.Warning, "The release of the seat of {Product}{FeatureSuffix} did not reach the License API ({ErrorCode}); it is journalled and sent at the next start.")]
    public static partial void ReleaseJournalled(ILogger logger, string product, string featureSuffix, string errorCode);

    [LoggerMessage(LicenseClientEventIds.JournalledReleaseSent, LogLevel.Information, "The journalled release of the seat of {Product}{FeatureSuffix} was sent.")]
    public static partial void JournalledReleaseSent(ILogger logger, string product, string featureSuffix);

    /// <summary><c>" (feature f)"</c>, or nothing for a license seat.</summary>
    public static string FeatureSuffix(string? feature) => feature is null ? "" : " (feature " + feature + ")";

    /// <summary>The <c>error.type</c> of <paramref name="failure"/> (see <see cref="Telemetry.ErrorTypeOf"/>), or <c>none</c>.</summary>
    public static string CodeOf(Exception? failure) => failure is null ? "none" : Telemetry.ErrorTypeOf(failure);
}
