using System;
using System.Globalization;
using System.Text;

namespace LicenseClient;

/// <summary>
/// The base of every failure the client reports: a License API error answer, an answer that could
/// not be understood, or a request that got no answer.
/// </summary>
/// <remarks>
/// The facts are properties (<see cref="Status"/>, <see cref="ErrorCode"/>, <see cref="ServerMessage"/>);
/// the message is for people and never contains a credential, a header or the request body.
/// </remarks>
public class LicenseApiException : Exception
{
    /// <summary>Creates an exception from its facts.</summary>
    /// <param name="message">A message for people; it must not contain secrets.</param>
    /// <param name="status">The HTTP status, or <see langword="null"/> when no answer arrived.</param>
    /// <param name="errorCode">The server's <c>code</c>, or a client-side code from <see cref="LicenseErrorCodes"/>.</param>
    /// <param name="serverMessage">The server's <c>message</c>, verbatim, when there was one.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation that failed, when known.</param>
    /// <exception cref="ArgumentNullException"><paramref name="errorCode"/> is null.</exception>
    public LicenseApiException(string message, int? status, string errorCode, string? serverMessage = null, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode ?? throw new ArgumentNullException(nameof(errorCode));
        ServerMessage = serverMessage;
        Operation = operation;
    }

    /// <summary>
    /// The operation that failed (borrow, release, feature borrow or feature release). Every exception a
    /// client call throws has it; <see cref="LicenseApiOperation.None"/> only for one built elsewhere.
    /// </summary>
    public LicenseApiOperation Operation { get; internal set; }

    /// <summary>The HTTP status of the answer; <see langword="null"/> when no answer arrived.</summary>
    public int? Status { get; }

    /// <summary>
    /// The server's <c>code</c> (for example <c>floating_not_available</c>), or a client-side code such as
    /// <see cref="LicenseErrorCodes.InvalidResponse"/> or <see cref="LicenseErrorCodes.ConnectionFailed"/>.
    /// </summary>
    public string ErrorCode { get; }

    /// <summary>The server's <c>message</c>, verbatim; <see langword="null"/> when the server sent none.</summary>
    public string? ServerMessage { get; }

    /// <summary>Whether the failure may pass if the request is sent again (an answer broken in transit, say); set where it is built.</summary>
    internal bool IsTransient { get; init; }

    /// <summary>
    /// How many attempts the call made before it failed, retries included. Each attempt is one signed
    /// request, unless signing it failed. 0 for an exception the client did not throw.
    /// </summary>
    public int Attempts { get; internal set; }

    /// <summary>
    /// How long the server asked the client to wait (its <c>Retry-After</c> header on the last answer), or
    /// <see langword="null"/> when it did not ask.
    /// </summary>
    public TimeSpan? RetryAfter { get; internal set; }

    /// <summary>What a message says failed: <c>Borrow failed</c>, <c>Release failed</c>, <c>Feature borrow failed</c> or <c>Feature release failed</c>.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The words, or <c>The License API refused the request</c> for <see cref="LicenseApiOperation.None"/>.</returns>
    protected static string Failed(LicenseApiOperation operation) => operation switch
    {
        LicenseApiOperation.Borrow => "Borrow failed",
        LicenseApiOperation.Release => "Release failed",
        LicenseApiOperation.BorrowFeature => "Feature borrow failed",
        LicenseApiOperation.ReleaseFeature => "Feature release failed",
        _ => "The License API refused the request",
    };

    /// <summary>Builds the message shared by error answers: <c>{what}: HTTP {status} ({code}): {server message}</c>.</summary>
    /// <param name="what">What failed, for example <c>Borrow failed</c>.</param>
    /// <param name="status">The HTTP status, if any.</param>
    /// <param name="errorCode">The error code.</param>
    /// <param name="serverMessage">The server's message, if any.</param>
    /// <returns>The message.</returns>
    protected static string Describe(string what, int? status, string errorCode, string? serverMessage)
    {
        // Room for the whole message at once: ": HTTP ", the status, " (", ")" and ": " take at most 24 characters.
        var text = new StringBuilder(what.Length + errorCode.Length + (serverMessage?.Length ?? 0) + 24).Append(what).Append(':');
        if (status is int code)
        {
            text.Append(" HTTP ").Append(code.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(" (").Append(errorCode).Append(')');
        if (!string.IsNullOrWhiteSpace(serverMessage))
        {
            text.Append(": ").Append(serverMessage);
        }

        return text.ToString();
    }
}
