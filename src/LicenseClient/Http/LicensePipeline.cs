using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Security;
using NodaTime;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LicenseClient.Http;

/// <summary>
/// Everything a client copies from its options at construction: where to send, how to sign, the clock
/// corrected to the server's, and the resilience pipeline (whole-call timeout, retries with backoff,
/// attempt timeout) that each call runs through. One per <see cref="LicenseApiClient"/>, or one per
/// dependency-injection container, so what it learns about the server's clock serves every later call.
/// </summary>
internal sealed class LicensePipeline : IDisposable
{
    private const string CallTimeoutName = "LicenseClient.Timeout";

    private static readonly ResiliencePropertyKey<Call> CallKey = new("LicenseClient.Call");

#if !NET
    private static readonly Random Random = new();
#endif

    private readonly ResiliencePipeline<LicenseAnswer> _pipeline;
    private readonly ResponseSignatureVerifier? _verifier;
    private readonly bool _ownsSigner;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _maxRetryAfter;
    private readonly TimeSpan _timeout;

    /// <summary>Copies <paramref name="options"/>, which must have been validated.</summary>
    private LicensePipeline(IRequestSigner signer, LicenseClientOptions options)
    {
        Signer = signer;
        _ownsSigner = !ReferenceEquals(signer, options.Signer);
        BaseAddress = options.BaseAddress;
        Clock = new ServerClock(options.Clock);
        _baseDelay = options.Retry.BaseDelay;
        _maxDelay = options.Retry.MaxDelay;
        _maxRetryAfter = options.Retry.MaxRetryAfter;
        _timeout = options.Timeout;
        _verifier = options.VerifyResponseSignatures
            ? new ResponseSignatureVerifier(PublicKeyPem.Parse(options.ServerPublicKey ?? ProductionKey.Pem))
            : null;

        var builder = new ResiliencePipelineBuilder<LicenseAnswer>();
        if (options.Timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = CallTimeoutName, Timeout = options.Timeout });
        }

        if (options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<LicenseAnswer>
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome)),
            });
        }

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
        }

        _pipeline = builder.Build();
    }

    public Uri BaseAddress { get; }

    public IRequestSigner Signer { get; }

    public ServerClock Clock { get; }

    /// <summary>Validates <paramref name="options"/> and copies them.</summary>
    /// <exception cref="InvalidOperationException">The options are incomplete or inconsistent.</exception>
    public static LicensePipeline Create(LicenseClientOptions options) => new(options.CreateSigner(), options);

    /// <summary>Disposes the signer the pipeline built from the options (an OAuth signer's HttpClient); a caller's signer is left alone.</summary>
    public void Dispose()
    {
        if (_ownsSigner && Signer is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>The transport that sends this pipeline's attempts through <paramref name="http"/>.</summary>
    public LicenseTransport CreateTransport(HttpClient http) => new(http, Signer, Clock);

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="uri"/>, retrying as the options allow, and reads the
    /// last answer with <paramref name="read"/>. Every <see cref="LicenseApiException"/> that leaves carries
    /// the number of attempts and the server's last <c>Retry-After</c>.
    /// </summary>
    /// <exception cref="LicenseApiException">The call failed; see its type and code.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendAsync<T>(LicenseTransport transport, Uri uri, byte[] body, Func<LicenseAnswer, T> read, CancellationToken cancellationToken)
    {
        var call = new Call(this, transport, uri, body);
        LicenseAnswer answer;
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(CallKey, call);
            answer = await _pipeline.ExecuteAsync(static (context, call) => call.AttemptAsync(context.CancellationToken), context, call).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller, even if a timeout fired at the same moment.
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw call.Annotate(TimedOut(call, ex));
        }
        catch (LicenseApiException ex)
        {
            call.Annotate(ex);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        try
        {
            // A successful answer is used only once its signature shows it comes from the server; error
            // answers grant nothing and are read unsigned.
            if (answer.IsSuccess)
            {
                _verifier?.Verify(answer);
            }

            return read(answer);
        }
        catch (LicenseApiException ex) when (ex.ErrorCode == LicenseErrorCodes.DateHeaderDiff)
        {
            throw call.Annotate(ClockIsWrong(ex));
        }
        catch (LicenseApiException ex)
        {
            call.Annotate(ex);
            throw;
        }
    }

    /// <summary>HTTP statuses that say the server may well answer if asked again.</summary>
    private static bool IsTransient(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>A transient status, or any other 5xx page without a License API error code (a proxy's, say).</summary>
    private static bool IsTransient(LicenseAnswer answer)
        => IsTransient(answer.Status) || (answer.Status >= 500 && AnswerReader.PeekErrorCode(answer) is null);

    /// <summary>The retry decision: failures that may pass are retried, everything else is final.</summary>
    private bool ShouldRetry(Outcome<LicenseAnswer> outcome, ResilienceContext context)
    {
        switch (outcome.Exception)
        {
            case TimeoutRejectedException:
                return true;
            case LicenseApiException { ErrorCode: LicenseErrorCodes.ConnectionFailed or LicenseErrorCodes.Timeout or LicenseErrorCodes.ServiceUnavailable }:
                return true;
            case LicenseApiException { Status: int status }:
                return IsTransient(status);
            case not null:
                return false;
        }

        LicenseAnswer answer = outcome.Result!;
        if (!IsTransient(answer))
        {
            return false;
        }

        // A server asking for a longer wait than the client may take ends the call now, not later.
        return answer.RetryAfter is not TimeSpan wait
            || (wait <= _maxRetryAfter && wait <= context.Properties.GetValue(CallKey, null!).TimeLeft());
    }

    /// <summary>The wait before retry <paramref name="attempt"/>: the backoff, or the server's <c>Retry-After</c> when that is longer.</summary>
    private TimeSpan Delay(int attempt, Outcome<LicenseAnswer> outcome)
    {
        TimeSpan backoff = Backoff(attempt, _baseDelay, _maxDelay, NextRandom());
        return outcome.Result?.RetryAfter is TimeSpan wait && wait > backoff ? wait : backoff;
    }

    /// <summary>
    /// Exponential backoff: <paramref name="baseDelay"/> × 2<sup><paramref name="attempt"/></sup> (from 0),
    /// varied by ±20 % with <paramref name="random"/> (in [0, 1)). A wait that would pass
    /// <paramref name="maxDelay"/> is 80 % to 100 % of it instead, so capped retries do not fall in step.
    /// </summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        double ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30)) * (0.8 + (0.4 * random));
        return ticks >= maxDelay.Ticks
            ? TimeSpan.FromTicks((long)(maxDelay.Ticks * (0.8 + (0.2 * random))))
            : TimeSpan.FromTicks((long)ticks);
    }

    private static double NextRandom()
    {
#if NET
        return Random.Shared.NextDouble();
#else
        lock (Random)
        {
            return Random.NextDouble();
        }
#endif
    }

    /// <summary>The typed error for a timeout: the whole call's, or the last attempt's.</summary>
    private LicenseApiException TimedOut(Call call, TimeoutRejectedException cause)
    {
        string message = cause.TelemetrySource?.StrategyName == CallTimeoutName
            ? string.Format(CultureInfo.InvariantCulture, "The call to the License API at {0} did not complete within its timeout of {1} s (LicenseClientOptions.Timeout) ({2}).", call.Uri.Authority, _timeout.TotalSeconds, LicenseErrorCodes.Timeout)
            : string.Format(CultureInfo.InvariantCulture, "The License API at {0} did not answer within the attempt timeout of {1} s (LicenseClientOptions.AttemptTimeout) ({2}).", call.Uri.Authority, cause.Timeout.TotalSeconds, LicenseErrorCodes.Timeout);
        return new LicenseApiException(message, status: null, LicenseErrorCodes.Timeout, serverMessage: null, cause);
    }

    /// <summary>The server refused the request's <c>Date</c>: say that the computer's clock is wrong, and by how much when known.</summary>
    private LicenseAuthorizationException ClockIsWrong(LicenseApiException refused)
    {
        Duration offset = Clock.Offset;
        string howFar = offset == Duration.Zero
            ? "more than 15 minutes off the License API's clock"
            : $"{Describe(Duration.Max(offset, -offset))} {(offset > Duration.Zero ? "behind" : "ahead of")} the License API's clock";
        return new LicenseAuthorizationException(
            $"Request not authorized: this computer's clock is {howFar}. Set the computer's date, time and time zone right, then try again ({refused.ErrorCode}).",
            refused.Status,
            refused.ErrorCode,
            refused.ServerMessage,
            refused);
    }

    private static string Describe(Duration duration)
        => duration.Days > 0
            ? string.Format(CultureInfo.InvariantCulture, "{0} d {1} h", duration.Days, duration.Hours)
            : string.Format(CultureInfo.InvariantCulture, "{0} h {1} min", duration.Hours, duration.Minutes);

    /// <summary>One call: what it sends, how many attempts it made, and what the server last asked.</summary>
    private sealed class Call
    {
        private readonly LicensePipeline _pipeline;
        private readonly LicenseTransport _transport;
        private readonly byte[] _body;
        private readonly long _started = Stopwatch.GetTimestamp();
        private bool _clockCorrected;
        private bool _tokenRenewed;
        private int _attempts;
        private TimeSpan? _retryAfter;

        public Call(LicensePipeline pipeline, LicenseTransport transport, Uri uri, byte[] body)
        {
            _pipeline = pipeline;
            _transport = transport;
            Uri = uri;
            _body = body;
        }

        public Uri Uri { get; }

        /// <summary>What is left of the whole call's timeout.</summary>
        public TimeSpan TimeLeft()
        {
            if (_pipeline._timeout == Timeout.InfiniteTimeSpan)
            {
                return TimeSpan.MaxValue;
            }

            var elapsed = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - _started) / (double)Stopwatch.Frequency);
            return _pipeline._timeout - elapsed;
        }

        /// <summary>
        /// One attempt. Two refusals are put right at once, each once per call: when the server refuses the
        /// <c>Date</c> and its answer says its time, the clock has learned the offset and the request is sent
        /// again, corrected; when it refuses an OAuth token, the token is dropped and the request is sent
        /// again with a new one.
        /// </summary>
        public async ValueTask<LicenseAnswer> AttemptAsync(CancellationToken cancellationToken)
        {
            LicenseAnswer answer = await SendAsync(cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess)
            {
                return answer;
            }

            string? code = AnswerReader.PeekErrorCode(answer);
            if (!_clockCorrected
                && answer.ServerDate is not null
                && _pipeline.Clock.Offset != Duration.Zero
                && code == LicenseErrorCodes.DateHeaderDiff)
            {
                _clockCorrected = true;
                answer = await SendAsync(cancellationToken).ConfigureAwait(false);
                code = answer.IsSuccess ? null : AnswerReader.PeekErrorCode(answer);
            }

            if (!_tokenRenewed
                && _pipeline.Signer is OAuthClientCredentialsSigner oauth
                && answer.BearerToken is string rejected
                && (answer.Status == 401 || code is LicenseErrorCodes.OAuthTokenExpired or LicenseErrorCodes.OAuthTokenMalformed))
            {
                _tokenRenewed = true;
                oauth.DropToken(rejected);
                answer = await SendAsync(cancellationToken).ConfigureAwait(false);
            }

            return answer;
        }

        /// <summary>Sets what the caller should know about the call on the exception that ends it.</summary>
        public LicenseApiException Annotate(LicenseApiException error)
        {
            error.Attempts = _attempts;
            error.RetryAfter = _retryAfter;
            return error;
        }

        private async Task<LicenseAnswer> SendAsync(CancellationToken cancellationToken)
        {
            _attempts++;
            LicenseAnswer answer = await _transport.PostAsync(Uri, _body, cancellationToken).ConfigureAwait(false);
            _retryAfter = answer.RetryAfter;
            return answer;
        }
    }
}
