using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Diagnostics;
using LicenseClient.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LicenseClient.Http;

/// <summary>
/// Everything a client copies from its options at construction: where to send, how to sign, the clock
/// corrected to the server's, the whole-call and attempt timeouts, and the resilience pipeline (retries with
/// backoff) that a call enters when its first attempt is to be retried. One per <see cref="LicenseApiClient"/>, or one per
/// dependency-injection container, so what it learns about the server's clock serves every later call.
/// </summary>
internal sealed class LicensePipeline : IDisposable
{
    /// <summary>The retry pipeline, built the first time a call needs a retry: most calls need none.</summary>
    private readonly Lazy<Retries> _retries;
    private readonly ResponseSignatureVerifier? _verifier;
    private readonly bool _ownsSigner;
    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _maxRetryAfter;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly bool _productInMetrics;

    /// <summary>The <c>server.address</c> of every call: the base address's host.</summary>
    private readonly string _serverAddress;

    /// <summary>Each endpoint's absolute address, resolved against <see cref="BaseAddress"/> once, not on every call.</summary>
    private readonly ConcurrentDictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly Func<string, Uri> _resolve;

    /// <summary>Copies <paramref name="options"/>, which must have been validated, and takes <paramref name="verifier"/>, the one validation built.</summary>
    private LicensePipeline(IRequestSigner signer, ResponseSignatureVerifier? verifier, LicenseClientOptions options, ILogger logger)
    {
        Signer = signer;
        Logger = logger;
        _verifier = verifier;
        _ownsSigner = !ReferenceEquals(signer, options.Signer);
        BaseAddress = options.BaseAddress;
        _resolve = path => new Uri(BaseAddress, path);
        Clock = new ServerClock(options.EffectiveClock);
        _maxRetries = options.Retry.MaxRetries;
        _baseDelay = options.Retry.BaseDelay;
        _maxDelay = options.Retry.MaxDelay;
        _maxRetryAfter = options.Retry.MaxRetryAfter;
        _timeout = options.Timeout;
        _attemptTimeout = options.AttemptTimeout;
        _time = options.TimeProvider;
        _random = options.Random;
        _productInMetrics = options.IncludeProductInMetrics;
        _serverAddress = BaseAddress.Host;

        _retries = new Lazy<Retries>(() => new Retries(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Uri BaseAddress { get; }

    public IRequestSigner Signer { get; }

    public ServerClock Clock { get; }

    /// <summary>Where the client logs: <see cref="NullLogger.Instance"/> when no logger factory is set.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// Validates <paramref name="options"/> and copies them. The client logs to <see cref="LicenseClientOptions.LoggerFactory"/>,
    /// or when that is not set to <paramref name="loggerFactory"/> (a container's), or nowhere.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are incomplete or inconsistent.</exception>
    public static LicensePipeline Create(LicenseClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ILogger logger = (options.LoggerFactory ?? loggerFactory)?.CreateLogger(LicenseClientDiagnostics.LoggerCategory) ?? NullLogger.Instance;
        IRequestSigner signer = options.CreateSigner(logger, out ResponseSignatureVerifier? verifier);
        return new(signer, verifier, options, logger);
    }

    /// <summary>
    /// Disposes the signer the pipeline built from the options (an OAuth signer's HttpClient), and the verifier's
    /// imported keys; a caller's signer is left alone.
    /// </summary>
    public void Dispose()
    {
        _verifier?.Dispose();
        if (_ownsSigner && Signer is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>The transport that sends this pipeline's attempts through <paramref name="http"/>.</summary>
    public LicenseTransport CreateTransport(HttpClient http) => new(http, Signer, Clock);

    /// <summary>
    /// Calls <paramref name="operation"/> with <paramref name="request"/>: writes the body, sends it through the
    /// resilience pipeline, and reads the last answer: a success (verified when the operation's successes are
    /// signed) into its result, an error into its typed exception. Every <see cref="LicenseApiException"/> that
    /// leaves says which operation failed, how many attempts it made, and the server's last <c>Retry-After</c>.
    /// </summary>
    /// <exception cref="LicenseApiException">The call failed; see its type and code.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TResult> SendAsync<TRequest, TResult>(LicenseTransport transport, LicenseOperation<TRequest, TResult> operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : FloatingRequest
    {
        var call = new Call(this, transport, operation.Kind, operation.SuccessIsSigned, _addresses.GetOrAdd(operation.Path, _resolve), operation.WriteBody(request));

        // The parent of the attempts' HTTP spans when something listens; End stops it.
        Activity? span = call.StartActivity(request.Product);
        TResult result;
        try
        {
            Log.CallStarting(Logger, call.OperationName, request.Product, request.HardwareId, _serverAddress);
            LicenseAnswer answer;
            using var callDeadline = new Deadline(_time, _timeout, cancellationToken);
            try
            {
                // The first attempt is made here; only a call whose first attempt is to be retried enters the retry pipeline.
                Attempt attempt = await call.AttemptAsync(callDeadline.Token).ConfigureAwait(false);
                if (call.ShouldRetry(attempt, request.Product))
                {
                    attempt = await _retries.Value.RetryAsync(call, attempt, request.Product, callDeadline.Token).ConfigureAwait(false);
                }

                answer = attempt.Answer ?? Rethrow(attempt.Failure!);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled by the caller, even if a timeout fired at the same moment.
                throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
            }
            catch (Exception ex) when (callDeadline.HasPassed)
            {
                // The whole call's timeout, in an attempt or in a wait between two.
                throw call.Annotate(CallTimedOut(call, ex));
            }
            catch (TimeoutRejectedException ex)
            {
                throw call.Annotate(AttemptTimedOut(call, ex));
            }
            catch (LicenseApiException ex)
            {
                throw call.Annotate(ex);
            }

            if (!answer.IsSuccess)
            {
                LicenseApiException error = AnswerReader.ReadError(answer, operation.Kind);
                throw call.Annotate(error.ErrorCode == LicenseErrorCodes.DateHeaderDiff ? ClockIsWrong(error) : error);
            }

            try
            {
                result = operation.ReadSuccess(request, answer);
            }
            catch (LicenseApiException ex)
            {
                throw call.Annotate(ex);
            }
        }
        catch (Exception ex) when (call.End(span, ex, request.Product))
        {
            // Never taken: End reports the failure and declines it, so the exception leaves as it was thrown.
            throw;
        }

        call.End(span, failure: null, request.Product);
        return result;
    }

    /// <summary>Throws <paramref name="failure"/> again with the stack trace it was thrown with.</summary>
    private static LicenseAnswer Rethrow(Exception failure)
    {
        ExceptionDispatchInfo.Capture(failure).Throw();
        return null!;
    }

    /// <summary>HTTP statuses that say the server may well answer if asked again.</summary>
    private static bool IsTransient(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>A transient status, or any other 5xx page without a License API error code (a proxy's, say).</summary>
    private static bool IsTransient(LicenseAnswer answer)
        => IsTransient(answer.Status) || (answer.Status >= 500 && answer.Error.Code is null);

    /// <summary>Whether a failure with no usable answer may pass if the request is sent again.</summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException => true,
        LicenseApiException { ErrorCode: LicenseErrorCodes.ConnectionFailed or LicenseErrorCodes.Timeout or LicenseErrorCodes.ServiceUnavailable } => true,

        // An answer broken in transit (framing, compression): the next one may arrive whole.
        LicenseApiException { IsTransient: true } => true,
        LicenseApiException { Status: int status } => IsTransient(status),
        _ => false,
    };

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

    /// <summary>The typed error for the whole call's timeout; its cause is a <see cref="TimeoutRejectedException"/> around what the timeout cut short.</summary>
    private LicenseApiException CallTimedOut(Call call, Exception cut)
        => new(
            string.Format(CultureInfo.InvariantCulture, "The call to the License API at {0} did not complete within its timeout of {1} s (LicenseClientOptions.Timeout) ({2}).", call.Uri.Authority, _timeout.TotalSeconds, LicenseErrorCodes.Timeout),
            status: null,
            LicenseErrorCodes.Timeout,
            serverMessage: null,
            TimeoutRejected(_timeout, cut));

    /// <summary>The typed error for the last attempt's timeout.</summary>
    private static LicenseApiException AttemptTimedOut(Call call, TimeoutRejectedException cause)
        => new(
            string.Format(CultureInfo.InvariantCulture, "The License API at {0} did not answer within the attempt timeout of {1} s (LicenseClientOptions.AttemptTimeout) ({2}).", call.Uri.Authority, cause.Timeout.TotalSeconds, LicenseErrorCodes.Timeout),
            status: null,
            LicenseErrorCodes.Timeout,
            serverMessage: null,
            cause);

    private static TimeoutRejectedException TimeoutRejected(TimeSpan timeout, Exception cut)
        => new(string.Format(CultureInfo.InvariantCulture, "The operation didn't complete within the allowed timeout of '{0}'.", timeout), timeout, cut);

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

    /// <summary>
    /// One call: what it sends, how many attempts it made, what the server last asked, and the retry decisions
    /// made so far (one immediate clock correction, then as many transient retries as the options allow).
    /// </summary>
    private sealed class Call
    {
        private readonly LicensePipeline _pipeline;
        private readonly LicenseTransport _transport;
        private readonly LicenseApiOperation _operation;
        private readonly bool _successIsSigned;
        private readonly byte[] _body;
        private readonly long _started;

        /// <summary>Whether the call started a span, which is then <see cref="Activity.Current"/> wherever the call runs.</summary>
        private CallFlags _flags;

        /// <summary>The HTTP status of the last attempt's answer; 0 when the last attempt got none.</summary>
        private ushort _lastStatus;
        private int _transientRetries;
        private int _attempts;
        /// <summary>The server's last <c>Retry-After</c>, in ticks; -1 when it gave none.</summary>
        private long _retryAfterTicks = -1;

        /// <summary>The first attempt, made and judged to be retried, that the retry pipeline takes as its own first.</summary>
        private Attempt? _replay;

        public Call(LicensePipeline pipeline, LicenseTransport transport, LicenseApiOperation operation, bool successIsSigned, Uri uri, byte[] body)
        {
            _pipeline = pipeline;
            _transport = transport;
            _operation = operation;
            _successIsSigned = successIsSigned;
            Uri = uri;
            _body = body;
            _started = pipeline._time.GetTimestamp();
        }

        public Uri Uri { get; }

        /// <summary>
        /// The call's span, for the events of its attempts and retries: <see cref="Activity.Current"/> when the call
        /// started one, since the span is current in the call's flow and in every flow it starts; <see langword="null"/>
        /// otherwise. The call keeps no reference of its own, so a call that nothing traces is no larger for it.
        /// </summary>
        private Activity? Span => (_flags & CallFlags.Traced) != 0 && Activity.Current is { } current && ReferenceEquals(current.Source, Telemetry.Source) ? current : null;

        /// <summary>The HTTP status of the last attempt's answer; null when the last attempt got none.</summary>
        private int? LastStatus => _lastStatus == 0 ? null : _lastStatus;

        /// <summary>The <c>licenseclient.operation</c> of the call, such as <c>borrow</c>.</summary>
        public string OperationName => Telemetry.NameOf(_operation);

        /// <summary>The wait before the retry <see cref="ShouldRetry"/> last allowed.</summary>
        public TimeSpan NextDelay { get; private set; }

        /// <summary>
        /// One attempt: sends the request and judges the answer. A success that must be signed is verified here, so
        /// a forged answer is never retried nor believed. The server's clock is learned only from answers the
        /// client believes: a success whose signature verified, or a License API error answer (JSON with a
        /// <c>code</c>); never from a proxy's page, an unsigned or unverified success, or a refused answer.
        /// </summary>
        /// <remarks>
        /// A failure is returned, not thrown: a <see cref="TimeoutRejectedException"/> when the attempt timeout passed
        /// (transient, so retried). A call already cancelled sends nothing and fails with
        /// <see cref="OperationCanceledException"/>.
        /// </remarks>
        public async ValueTask<Attempt> AttemptAsync(CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new Attempt(null, new OperationCanceledException(cancellationToken));
            }

            _attempts++;
            _lastStatus = 0;
            var attemptDeadline = new Deadline(_pipeline._time, _pipeline._attemptTimeout, cancellationToken);
            try
            {
                LicenseAnswer answer = await _transport.PostAsync(Uri, _body, attemptDeadline.Token).ConfigureAwait(false);
                _retryAfterTicks = answer.RetryAfter?.Ticks ?? -1;
                _lastStatus = (ushort)answer.Status;
                bool believed = answer.IsSuccess ? _successIsSigned && _pipeline._verifier is not null : answer.Error.Code is not null;
                if (answer.IsSuccess && _successIsSigned && _pipeline._verifier is ResponseSignatureVerifier verifier)
                {
                    Verify(verifier, answer);
                }

                if (believed && answer.ServerDate is Instant serverDate && _pipeline.Clock.Learn(serverDate, out Duration offset))
                {
                    ReportClockLearned(offset);
                }

                return new Attempt(answer, null);
            }
            catch (OperationCanceledException ex) when (attemptDeadline.HasPassed)
            {
                return new Attempt(null, TimeoutRejected(_pipeline._attemptTimeout, ex));
            }
            catch (Exception ex)
            {
                return new Attempt(null, ex);
            }
            finally
            {
                attemptDeadline.Dispose();
            }
        }

        /// <summary>
        /// Starts the call's span when something listens, a child of <see cref="Activity.Current"/>, with the tags known
        /// before the first attempt (so samplers see them too).
        /// </summary>
        public Activity? StartActivity(string product)
        {
            if (!Telemetry.Source.HasListeners())
            {
                return null;
            }

            var tags = new ActivityTagsCollection
            {
                [Telemetry.OperationTag] = OperationName,
                [Telemetry.ServerAddressTag] = _pipeline._serverAddress,
                [Telemetry.ProductTag] = product,
            };
            Activity? span = Telemetry.Source.StartActivity(Telemetry.SpanNameOf(_operation), ActivityKind.Internal, parentContext: default, tags);
            if (span is not null)
            {
                _flags |= CallFlags.Traced;
            }

            return span;
        }

        /// <summary>
        /// Reports the end of the call: its span's last tags and status, its duration and attempts, and a failure's
        /// log message. Returns <see langword="false"/>, so it can run in an exception filter that lets the failure go
        /// on as it was thrown.
        /// </summary>
        /// <param name="span">The call's span, from <see cref="StartActivity"/>; stopped here, whatever happens.</param>
        /// <param name="failure">What the call failed with; <see langword="null"/> for a success.</param>
        /// <param name="product">The request's product, a metric tag when the application opted in.</param>
        public bool End(Activity? span, Exception? failure, string product)
        {
            try
            {
                Report(span, failure, product);
            }
            finally
            {
                // Stopping the span makes its parent current again in this flow, which ends with the call.
                span?.Dispose();
            }

            return false;
        }

        private void Report(Activity? span, Exception? failure, string product)
        {
            string? errorType = failure is null ? null : Telemetry.ErrorTypeOf(failure);
            if (span is { IsAllDataRequested: true } activity)
            {
                activity.SetTag(Telemetry.AttemptsTag, _attempts);
                if (LastStatus is int code)
                {
                    activity.SetTag(Telemetry.StatusCodeTag, code);
                }

                if (errorType is not null)
                {
                    activity.SetTag(Telemetry.ErrorTypeTag, errorType);
                    activity.SetStatus(ActivityStatusCode.Error, errorType);
                }
            }

            if (Telemetry.Duration.Enabled || Telemetry.Attempts.Enabled)
            {
                TagList tags = Telemetry.CallTags(OperationName, _pipeline._serverAddress, _pipeline._productInMetrics ? product : null);
                tags.Add(Telemetry.OutcomeTag, failure switch
                {
                    null => "success",
                    OperationCanceledException => "cancelled",
                    _ => "failure",
                });
                if (errorType is not null)
                {
                    tags.Add(Telemetry.ErrorTypeTag, Telemetry.MetricErrorTypeOf(failure!));
                }

                Telemetry.Duration.Record(_pipeline._time.GetElapsedTime(_started).TotalSeconds, tags);
                Telemetry.Attempts.Add(_attempts, tags);
            }

            if (failure is not null and not OperationCanceledException)
            {
                Log.CallFailed(_pipeline.Logger, OperationName, LastStatus, errorType!, _attempts);
            }
        }

        /// <summary>Verifies a success's signature, and logs why it is not believed when it is not.</summary>
        private void Verify(ResponseSignatureVerifier verifier, LicenseAnswer answer)
        {
            try
            {
                verifier.Verify(answer);
            }
            catch (ResponseSignatureException ex)
            {
                if (ex.ErrorCode == LicenseErrorCodes.SignatureMissing)
                {
                    Log.SignatureMissing(_pipeline.Logger, OperationName, _pipeline._serverAddress);
                }
                else
                {
                    Log.SignatureInvalid(_pipeline.Logger, OperationName, _pipeline._serverAddress);
                }

                throw;
            }
        }

        /// <summary>Reports a change in the server clock's offset: a warning when the clocks differ, and a span event.</summary>
        private void ReportClockLearned(Duration offset)
        {
            if (offset != Duration.Zero)
            {
                Log.ClockSkewLearned(_pipeline.Logger, offset.TotalSeconds);
            }

            if (Span is { IsAllDataRequested: true } activity)
            {
                activity.AddEvent(new ActivityEvent(Telemetry.ClockCorrectionEvent, tags: new ActivityTagsCollection { [Telemetry.ClockOffsetTag] = offset.TotalSeconds }));
            }
        }

        /// <summary>
        /// Reports a retry when it is decided, before its wait: a warning, a span event, and the retries counter. A
        /// retry whose wait the caller's cancellation or the call's timeout cuts short is reported all the same.
        /// </summary>
        private void ReportRetry(Attempt outcome, TimeSpan delay, bool clockCorrection, string product)
        {
            Activity? span = Span;
            bool traced = span is { IsAllDataRequested: true };
            bool logged = _pipeline.Logger.IsEnabled(LogLevel.Warning);
            if (!traced && !logged && !Telemetry.Retries.Enabled)
            {
                return;
            }

            string errorType = outcome.Failure is Exception failure
                ? Telemetry.ErrorTypeOf(failure)
                : outcome.Answer!.Error.Code ?? outcome.Answer.Status.ToString(CultureInfo.InvariantCulture);
            if (clockCorrection)
            {
                Log.ClockCorrected(_pipeline.Logger, OperationName, _attempts, _pipeline.Clock.Offset.TotalSeconds);
            }
            else
            {
                Log.AttemptRetried(_pipeline.Logger, OperationName, _attempts, LastStatus, errorType, delay.TotalSeconds);
            }

            if (traced)
            {
                span!.AddEvent(new ActivityEvent(Telemetry.RetryEvent, tags: new ActivityTagsCollection
                {
                    [Telemetry.AttemptTag] = _attempts,
                    [Telemetry.ErrorTypeTag] = errorType,
                    [Telemetry.DelayTag] = delay.TotalSeconds,
                }));
            }

            if (Telemetry.Retries.Enabled)
            {
                TagList tags = Telemetry.CallTags(OperationName, _pipeline._serverAddress, _pipeline._productInMetrics ? product : null);
                tags.Add(Telemetry.ErrorTypeTag, outcome.Failure is Exception failed
                    ? Telemetry.MetricErrorTypeOf(failed)
                    : outcome.Answer!.Error.Code is string code ? Telemetry.KnownCodeOr(code) : errorType);
                Telemetry.Retries.Add(1, tags);
            }
        }

        /// <summary>Hands <paramref name="first"/>, judged to be retried, to the retry pipeline as its first attempt.</summary>
        public void Replay(Attempt first) => _replay = first;

        /// <summary>The retry pipeline's attempt: the replayed first one, then new ones.</summary>
        public ValueTask<Attempt> NextAttemptAsync(CancellationToken cancellationToken)
        {
            if (_replay is Attempt first)
            {
                _replay = null;
                _flags |= CallFlags.ReplayJudged;
                return new ValueTask<Attempt>(first);
            }

            return AttemptAsync(cancellationToken);
        }

        /// <summary>The retry pipeline's decision: the replayed attempt's was made already (retry); a new one's is <see cref="ShouldRetry"/>.</summary>
        public bool ShouldRetryInPipeline(Attempt outcome, string product)
        {
            if ((_flags & CallFlags.ReplayJudged) != 0)
            {
                _flags &= ~CallFlags.ReplayJudged;
                return true;
            }

            return ShouldRetry(outcome, product);
        }

        /// <summary>
        /// The retry decision. A request refused for its <c>Date</c>, when the refusal's own <c>Date</c> shows the
        /// request's was more than <see cref="ServerClock.Tolerance"/> off, is sent again at once, corrected, once per
        /// call and on top of <see cref="LicenseRetryOptions.MaxRetries"/>. Transient failures are retried with
        /// backoff while retries are left; everything else is final.
        /// </summary>
        /// <param name="outcome">The attempt to judge.</param>
        /// <param name="product">The request's product, for the retry's report.</param>
        public bool ShouldRetry(Attempt outcome, string product)
        {
            if (outcome.Answer is LicenseAnswer { IsSuccess: false } refused && (_flags & CallFlags.ClockCorrected) == 0 && IsClockRefusal(refused))
            {
                _flags |= CallFlags.ClockCorrected;
                NextDelay = TimeSpan.Zero;
                ReportRetry(outcome, NextDelay, clockCorrection: true, product);
                return true;
            }

            bool transient = outcome.Failure is Exception exception ? IsTransient(exception) : IsTransient(outcome.Answer!) && MayWait(outcome.Answer!);
            if (!transient || _transientRetries >= _pipeline._maxRetries)
            {
                return false;
            }

            TimeSpan backoff = Backoff(_transientRetries, _pipeline._baseDelay, _pipeline._maxDelay, _pipeline._random());
            NextDelay = outcome.Answer?.RetryAfter is TimeSpan wait && wait > backoff ? wait : backoff;
            _transientRetries++;
            ReportRetry(outcome, NextDelay, clockCorrection: false, product);
            return true;
        }

        /// <summary>Sets what the caller should know about the call on the exception that ends it.</summary>
        public LicenseApiException Annotate(LicenseApiException error)
        {
            error.Attempts = _attempts;
            error.RetryAfter = _retryAfterTicks < 0 ? null : TimeSpan.FromTicks(_retryAfterTicks);
            if (error.Operation == LicenseApiOperation.None)
            {
                error.Operation = _operation;
            }

            return error;
        }

        /// <summary>A <c>date_header_diff</c> whose answer dates the server more than the tolerance away from the refused request.</summary>
        private static bool IsClockRefusal(LicenseAnswer answer)
        {
            if (answer.ServerDate is not Instant serverDate || answer.Error.Code != LicenseErrorCodes.DateHeaderDiff)
            {
                return false;
            }

            Duration skew = serverDate - answer.RequestDate;
            return ServerClock.IsPlausible(skew) && Duration.Max(skew, -skew) > ServerClock.Tolerance;
        }

        /// <summary>Whether the server's <c>Retry-After</c>, if any, is a wait the client may take: a longer one ends the call now.</summary>
        private bool MayWait(LicenseAnswer answer)
            => answer.RetryAfter is not TimeSpan wait || (wait <= _pipeline._maxRetryAfter && wait <= TimeLeft());

        /// <summary>What is left of the whole call's timeout.</summary>
        private TimeSpan TimeLeft()
            => _pipeline._timeout == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : _pipeline._timeout - _pipeline._time.GetElapsedTime(_started);
    }

    /// <summary>What a call has done or decided, in one byte: so that a call that nothing traces is no larger for telemetry.</summary>
    [Flags]
    private enum CallFlags : byte
    {
        None = 0,

        /// <summary>The call started a span.</summary>
        Traced = 1,

        /// <summary>The call was sent again once, corrected, after a refusal for its <c>Date</c>.</summary>
        ClockCorrected = 2,

        /// <summary>The retry pipeline is about to ask about the replayed attempt, whose answer is known: retry.</summary>
        ReplayJudged = 4,
    }

    /// <summary>What one attempt came to: the answer that arrived, or the failure that left none.</summary>
    private readonly record struct Attempt(LicenseAnswer? Answer, Exception? Failure);

    /// <summary>
    /// The retries (Polly v8) of calls whose first attempt is to be retried. The call's first attempt, made and judged
    /// before, is handed to the pipeline as its own first attempt, so the pipeline counts, waits and retries exactly
    /// as if it had made it.
    /// </summary>
    private sealed class Retries
    {
        private static readonly ResiliencePropertyKey<Call> CallKey = new("LicenseClient.Call");
        private static readonly ResiliencePropertyKey<string> ProductKey = new("LicenseClient.Product");

        private readonly ResiliencePipeline<LicenseAnswer> _pipeline;

        public Retries(LicensePipeline owner)
        {
            // The timeouts are cancellation timers of the call's own (see Deadline), not strategies: a strategy keeps an
            // async state per call and adds its options to the pipeline's first validation.
            var builder = new ResiliencePipelineBuilder<LicenseAnswer> { TimeProvider = owner._time };

            // Always present, even with MaxRetries = 0: a request refused for its Date is sent once more, corrected.
            builder.AddRetry(new RetryStrategyOptions<LicenseAnswer>
            {
                MaxRetryAttempts = owner._maxRetries == int.MaxValue ? int.MaxValue : owner._maxRetries + 1,
                ShouldHandle = static args => new ValueTask<bool>(CallOf(args.Context).ShouldRetryInPipeline(Of(args.Outcome), args.Context.Properties.GetValue(ProductKey, ""))),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(CallOf(args.Context).NextDelay),
            });

            _pipeline = builder.Build();
        }

        /// <summary>Retries <paramref name="call"/>, whose <paramref name="first"/> attempt was judged to be retried, and returns its last attempt.</summary>
        public async Task<Attempt> RetryAsync(Call call, Attempt first, string product, CancellationToken cancellationToken)
        {
            call.Replay(first);
            ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                context.Properties.Set(CallKey, call);
                context.Properties.Set(ProductKey, product);
                Outcome<LicenseAnswer> outcome = await _pipeline.ExecuteOutcomeAsync(static async (context, call) => Of(await call.NextAttemptAsync(context.CancellationToken).ConfigureAwait(false)), context, call).ConfigureAwait(false);
                return Of(outcome);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private static Call CallOf(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);

        private static Attempt Of(Outcome<LicenseAnswer> outcome) => new(outcome.Exception is null ? outcome.Result : null, outcome.Exception);

        private static Outcome<LicenseAnswer> Of(Attempt attempt)
            => attempt.Failure is Exception failure ? Outcome.FromException<LicenseAnswer>(failure) : Outcome.FromResult(attempt.Answer!);
    }
}
