using System;
using System.Buffers;
#if NET
using System.Globalization;
#endif
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Errors;
using LicenseClient.Internal;
using LicenseClient.Security;
using NodaTime;

namespace LicenseClient.Http;

/// <summary>
/// Sends one signed JSON request (one attempt) and returns the whole answer, or throws a
/// <see cref="LicenseApiException"/> when no answer arrived. The caller's cancellation surfaces as
/// <see cref="OperationCanceledException"/>, never wrapped.
/// </summary>
internal sealed class LicenseTransport
{
    private const string JsonMediaType = "application/json";

#if NET
    /// <summary>How ASP.NET Core and most servers send JSON's media type.</summary>
    private const string JsonUtf8MediaType = "application/json; charset=utf-8";
#endif

    /// <summary>The largest answer body read: License API answers are a few hundred bytes.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The pooled buffer that reads a body of undeclared length (or what follows a declared one), grown when full.</summary>
    private const int ChunkBytes = 4 * 1024;

    private readonly HttpClient _http;
    private readonly IRequestSigner _signer;
    private readonly ServerClock _clock;

    public LicenseTransport(HttpClient http, IRequestSigner signer, ServerClock clock)
    {
        _http = http;
        _signer = signer;
        _clock = clock;
    }

    /// <summary>
    /// Builds a new request with new content, dates and signs it with the server's time as best known, sends it
    /// and reads the answer. When the API refuses it and the signer is an <see cref="IRenewableRequestSigner"/>
    /// that renews, the request is built, signed and sent once more. Nothing of one request is reused by another.
    /// The answer's <c>Date</c> is not learned here: only answers the pipeline believes teach the clock.
    /// </summary>
    public Task<LicenseAnswer> PostAsync(Uri uri, byte[] body, CancellationToken cancellationToken)
        => SendAsync(uri, body, mayRenew: true, cancellationToken);

    private async ValueTask<HttpRequestMessage> CreateSignedAsync(Uri uri, byte[] body, Instant now, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        try
        {
            // Constant values, added as text: the typed header objects would be built anew for every request.
            request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonMediaType);
            request.Headers.TryAddWithoutValidation("Accept", JsonMediaType);
            request.Headers.TryAddWithoutValidation("User-Agent", SdkInfo.Product);
            try
            {
                await _signer.SignAsync(request, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsSignerFailure(ex, cancellationToken))
            {
                throw SigningFailed(ex);
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One request, built, signed, sent and read in one method (one asynchronous state per attempt). When
    /// <paramref name="mayRenew"/> and the API refused the authorization of a renewable signer that renews, the
    /// renewed request is sent by a second call, which may not renew again.
    /// </summary>
    private async Task<LicenseAnswer> SendAsync(Uri uri, byte[] body, bool mayRenew, CancellationToken cancellationToken)
    {
        Instant requestDate = _clock.Now();
        using HttpRequestMessage request = await CreateSignedAsync(uri, body, requestDate, cancellationToken).ConfigureAwait(false);
        LicenseAnswer answer;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw NoAnswer(LicenseErrorCodes.Timeout, $"The License API at {uri.Authority} did not answer in time", ex);
        }
        catch (Exception ex) when (UnreadableAnswer(ex) is string error)
        {
            // Headers too large will be too large again; a malformed status line or header may not be.
            throw Unreadable(uri, status: null, ex, transient: error != "ConfigurationLimitExceeded");
        }
        catch (Exception ex) when (ex is not LicenseApiException)
        {
            // HttpRequestException and IOException for refused, reset, DNS and TLS failures; anything
            // else a handler in the caller's chain throws means no answer arrived either.
            throw NoAnswer(LicenseErrorCodes.ConnectionFailed, $"Could not reach the License API at {uri.Authority}", ex);
        }

        using (response)
        {
            // A handler of the caller's (or .NET Framework) may leave Content null.
            HttpContent? content = response.Content;
            int status = (int)response.StatusCode;
            string? mediaType = MediaType(content);
            byte[] bytes;
            try
            {
                bytes = content is null ? [] : await ReadAsync(content, status, mediaType, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex)
            {
                throw NoAnswer(LicenseErrorCodes.Timeout, $"The License API at {uri.Authority} did not send its whole answer in time", ex);
            }
            catch (Exception ex) when (ex is not LicenseApiException)
            {
                // The status and headers arrived, the body did not arrive whole: broken chunked framing, a
                // connection closed early, compressed data that does not decompress.
                throw Unreadable(uri, status, ex, transient: true);
            }

            answer = new LicenseAnswer(status, mediaType, bytes, ServerDate(response), RetryAfter(response), Signature(response))
            {
                RequestDate = requestDate,
            };
        }

        if (!mayRenew || answer.IsSuccess || _signer is not IRenewableRequestSigner renewable)
        {
            return answer;
        }

        (string? code, string? message) = answer.Error;
        if (!IsAuthorizationRefusal(answer.Status, code)
            || !await RenewAsync(renewable, new RequestRefusal(request, answer.Status, code, message), cancellationToken).ConfigureAwait(false))
        {
            return answer;
        }

        return await SendAsync(uri, body, mayRenew: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// When a send failed on an answer that arrived but could not be read, rather than on a connection that failed:
    /// <c>InvalidResponse</c> (a malformed status line or header) or <c>ConfigurationLimitExceeded</c> (headers too
    /// large); otherwise <see langword="null"/>.
    /// </summary>
    private static string? UnreadableAnswer(Exception exception)
    {
#if NET
        return exception is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded } failure
            ? failure.HttpRequestError.ToString()
            : null;
#else
        if (exception is not HttpRequestException failure)
        {
            return null;
        }

        if (failure.InnerException is System.Net.WebException { Status: System.Net.WebExceptionStatus.ServerProtocolViolation })
        {
            return "InvalidResponse";
        }

        // The netstandard2.0 build on .NET 8 or later: the runtime's HttpRequestException says what failed.
        string? error = typeof(HttpRequestException).GetProperty("HttpRequestError")?.GetValue(failure)?.ToString();
        return error is "InvalidResponse" or "ConfigurationLimitExceeded" ? error : null;
#endif
    }

    /// <summary>An answer arrived but could not be read whole (<see cref="LicenseErrorCodes.InvalidResponse"/>); retried when <paramref name="transient"/>.</summary>
    private static LicenseApiException Unreadable(Uri uri, int? status, Exception cause, bool transient)
        => new(
            $"The License API at {uri.Authority} sent an answer{(status is int code ? $" (HTTP {code})" : "")} that could not be read ({LicenseErrorCodes.InvalidResponse}); see the inner exception for the cause.",
            status,
            LicenseErrorCodes.InvalidResponse,
            serverMessage: null,
            cause)
        {
            IsTransient = transient,
        };

    /// <summary>
    /// A refusal of the request's authorization, which a renewed signature may cure: HTTP 401 or 403, or one of the
    /// API's authorization codes. Never a wrong clock (<c>date_header_diff</c>, which the pipeline corrects), a busy
    /// or failing server, or a business refusal.
    /// </summary>
    private static bool IsAuthorizationRefusal(int status, string? code)
        => code != LicenseErrorCodes.DateHeaderDiff && (status is 401 or 403 || LicenseErrorMapper.IsAuthorizationCode(code));

    private static async Task<bool> RenewAsync(IRenewableRequestSigner signer, RequestRefusal refusal, CancellationToken cancellationToken)
    {
        try
        {
            return await signer.RenewAsync(refusal, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsSignerFailure(ex, cancellationToken))
        {
            throw SigningFailed(ex);
        }
    }

    /// <summary>A signer's failure, other than the caller's cancellation or a typed error, which pass as they are.</summary>
    private static bool IsSignerFailure(Exception exception, CancellationToken cancellationToken)
        => exception is not LicenseApiException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>A signer's failure as <see cref="LicenseErrorCodes.SigningFailed"/>.</summary>
    private static LicenseApiException SigningFailed(Exception cause)
        => NoAnswer(LicenseErrorCodes.SigningFailed, "The request could not be signed", cause);

    /// <summary>A failure with no answer (so no status): <c>{what} ({code}); see the inner exception for the cause.</c></summary>
    private static LicenseApiException NoAnswer(string code, string what, Exception cause)
        => new($"{what} ({code}); see the inner exception for the cause.", status: null, code, serverMessage: null, cause);

    /// <summary>
    /// Reads a body of at most <see cref="MaxBodyBytes"/>; a larger one is refused as
    /// <see cref="LicenseErrorCodes.InvalidResponse"/> without being read whole. A body whose length is declared is
    /// read straight into an array of that length, which becomes the answer's body: no buffer, no copy.
    /// </summary>
    private static async ValueTask<byte[]> ReadAsync(HttpContent content, int status, string? mediaType, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > MaxBodyBytes)
        {
            throw TooLarge(status, mediaType);
        }

#if NET
        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        using Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        byte[] head = declared is long length and > 0 ? new byte[length] : [];
        int filled = 0;
        int read;
        while (filled < head.Length && (read = await ReadSomeAsync(stream, head, filled, head.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled < head.Length
            ? head.AsSpan(0, filled).ToArray()
            : await ReadRestAsync(stream, head, status, mediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The body that starts with <paramref name="head"/>: <paramref name="head"/> itself when the stream ends there (a
    /// declared length that was right), else <paramref name="head"/> and what followed, read into pooled buffers.
    /// </summary>
    private static async ValueTask<byte[]> ReadRestAsync(Stream stream, byte[] head, int status, string? mediaType, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        int filled = 0;
        try
        {
            int read;
            // Never more than one byte past the limit: enough to know the body is too large.
            while ((read = await ReadSomeAsync(stream, buffer, filled, Math.Min(buffer.Length - filled, MaxBodyBytes + 1 - head.Length - filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
                if (head.Length + filled > MaxBodyBytes)
                {
                    throw TooLarge(status, mediaType);
                }

                if (filled == buffer.Length)
                {
                    byte[] full = buffer;
                    buffer = ArrayPool<byte>.Shared.Rent(full.Length * 2);
                    full.AsSpan().CopyTo(buffer);
                    ArrayPool<byte>.Shared.Return(full);
                }
            }

            if (filled == 0)
            {
                return head;
            }

            byte[] body = new byte[head.Length + filled];
            head.AsSpan().CopyTo(body);
            buffer.AsSpan(0, filled).CopyTo(body.AsSpan(head.Length));
            return body;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at most <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/>; 0 at the end of the stream.</summary>
    private static ValueTask<int> ReadSomeAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken cancellationToken)
#if NET
        => stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
#else
        => new(stream.ReadAsync(buffer, offset, count, cancellationToken));
#endif

    /// <summary>The first <c>LicenseSignature</c> header value, when the server sent one.</summary>
    private static string? Signature(HttpResponseMessage response)
    {
#if NET
        // Read as sent: the header has no parser, so validating it would only copy it into the typed store.
        if (response.Headers.NonValidated.TryGetValues(ResponseSignatureVerifier.HeaderName, out HeaderStringValues values))
        {
            foreach (string value in values)
            {
                return value;
            }
        }
#else
        if (response.Headers.TryGetValues(ResponseSignatureVerifier.HeaderName, out System.Collections.Generic.IEnumerable<string>? values))
        {
            foreach (string value in values)
            {
                return value;
            }
        }
#endif
        return null;
    }

    private static LicenseApiException TooLarge(int status, string? mediaType)
        => new(
            $"The License API answered HTTP {status} with a body larger than 1 MiB ({mediaType ?? "no content type"}); it was not read ({LicenseErrorCodes.InvalidResponse}).",
            status,
            LicenseErrorCodes.InvalidResponse);

    /// <summary>
    /// The answer's media type, as <see cref="HttpContentHeaders.ContentType"/> reads it. The License API's
    /// <c>application/json</c>, alone or with <c>charset=utf-8</c>, is recognized as sent, without building the typed
    /// header; anything else is parsed.
    /// </summary>
    private static string? MediaType(HttpContent? content)
    {
        if (content is null)
        {
            return null;
        }

#if NET
        if (SingleValue(content.Headers.NonValidated, "Content-Type") is string value
            && (value == JsonMediaType || value == JsonUtf8MediaType))
        {
            return JsonMediaType;
        }
#endif
        return content.Headers.ContentType?.MediaType;
    }

    /// <summary>The <c>Date</c> header. An IMF-fixdate, the form servers send, is read as sent; anything else is parsed.</summary>
    private static Instant? ServerDate(HttpResponseMessage response)
    {
#if NET
        if (SingleValue(response.Headers.NonValidated, "Date") is string value
            && DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset sent))
        {
            return Instant.FromDateTimeOffset(sent);
        }
#endif
        return response.Headers.Date is DateTimeOffset date ? Instant.FromDateTimeOffset(date) : null;
    }

#if NET
    /// <summary>A header's value as sent, when it has exactly one.</summary>
    private static string? SingleValue(HttpHeadersNonValidated headers, string name)
    {
        if (headers.TryGetValues(name, out HeaderStringValues values) && values.Count == 1)
        {
            foreach (string value in values)
            {
                return value;
            }
        }

        return null;
    }
#endif

    /// <summary>The wait a <c>Retry-After</c> header asks for, in seconds or until an HTTP date (by the server's time).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retryAfter = response.Headers.RetryAfter;
        TimeSpan? wait = retryAfter?.Delta
            ?? (retryAfter?.Date is DateTimeOffset until ? (Instant.FromDateTimeOffset(until) - _clock.Now()).ToTimeSpan() : null);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
