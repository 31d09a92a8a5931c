using System;
using System.Text.Json;
using NodaTime;

namespace LicenseClient.Http;

/// <summary>An answer that arrived whole: its status, media type, body bytes and the headers the client acts on.</summary>
internal sealed class LicenseAnswer
{
    private (string? Code, string? Message, JsonException? ParseError)? _error;

    public LicenseAnswer(int status, string? mediaType, byte[] body, Instant? serverDate = null, TimeSpan? retryAfter = null, string? signature = null)
    {
        Signature = signature;
        Status = status;
        MediaType = mediaType;
        Body = body;
        ServerDate = serverDate;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public string? MediaType { get; }

    public byte[] Body { get; }

    /// <summary>The server's <c>Date</c> header, when it sent a valid one.</summary>
    public Instant? ServerDate { get; }

    /// <summary>How long the server's <c>Retry-After</c> header asks to wait (never negative), when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The time the request that got this answer was dated and signed with (its <c>Date</c>).</summary>
    public Instant RequestDate { get; init; }

    /// <summary>The <c>LicenseSignature</c> header, when the server sent one.</summary>
    public string? Signature { get; }

    public bool IsSuccess => Status is >= 200 and <= 299;

    /// <summary>
    /// The error answer's <c>code</c> and <c>message</c> (each <see langword="null"/> when absent, or when the body is
    /// not JSON), read once however often the retry decision, the signer and the error mapping ask.
    /// </summary>
    public (string? Code, string? Message) Error => (ErrorFields.Code, ErrorFields.Message);

    /// <summary><see cref="Error"/>, and why the body could not be read as an error, when it could not: read once.</summary>
    public (string? Code, string? Message, JsonException? ParseError) ErrorFields => _error ??= AnswerReader.PeekError(this);
}
