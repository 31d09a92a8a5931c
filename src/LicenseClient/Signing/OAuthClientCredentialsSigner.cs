using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using LicenseClient.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Signs requests with an OAuth 2.0 client-credentials token: <c>Authorization: Bearer {token}</c>, and the
/// <c>Date</c> header the API still requires. Safe to use from many threads.
/// </summary>
/// <remarks>
/// The token is requested from the token endpoint (form <c>grant_type=client_credentials</c>, <c>client_id</c>,
/// <c>client_secret</c>) when first needed, cached, and renewed before <c>expires_in</c> runs out: 30 seconds
/// early, or half the token's lifetime early when that is shorter. However many requests are signed at once,
/// only one token request is made at a time. When the API refuses a token (HTTP 401, <c>oauth_token_expired</c>
/// or <c>oauth_token_malformed</c>), the signer drops it and the client sends the request once more with a new one
/// (<see cref="IRenewableRequestSigner"/>).
/// </remarks>
public sealed class OAuthClientCredentialsSigner : IRenewableRequestSigner, IDisposable
{
    private static readonly Duration MaxRenewalMargin = Duration.FromSeconds(30);

    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly IClock _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _token;
    private ILogger _logger = NullLogger.Instance;

    /// <summary>Whether a token was obtained before: the next one is a renewal. Read and written under the gate.</summary>
    private bool _obtained;

    /// <summary>Creates a signer for a client's credentials.</summary>
    /// <param name="clientId">The OAuth client id.</param>
    /// <param name="clientSecret">The OAuth client secret; sent only to the token endpoint, never logged.</param>
    /// <param name="tokenEndpoint">Where tokens are requested; <see langword="null"/> for <see cref="LicenseClientOptions.DefaultTokenEndpoint"/>.</param>
    /// <param name="httpClient">The HttpClient for token requests; <see langword="null"/> for one of the signer's own.</param>
    /// <param name="clock">The clock that times the token's expiry; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException"><paramref name="clientId"/> or <paramref name="clientSecret"/> is null or blank, or <paramref name="tokenEndpoint"/> is not absolute <c>https</c> (or <c>http</c> on loopback).</exception>
    public OAuthClientCredentialsSigner(string clientId, string clientSecret, Uri? tokenEndpoint = null, HttpClient? httpClient = null, IClock? clock = null)
    {
        _clientId = Guard.NotBlank(clientId, nameof(clientId));
        _clientSecret = Guard.NotBlank(clientSecret, nameof(clientSecret));
        TokenEndpoint = tokenEndpoint ?? LicenseClientOptions.DefaultTokenEndpoint;
        if (!TokenEndpoint.IsAbsoluteUri || !(TokenEndpoint.Scheme == Uri.UriSchemeHttp || TokenEndpoint.Scheme == Uri.UriSchemeHttps) || !LicenseClientOptions.IsSafe(TokenEndpoint))
        {
            throw new ArgumentException("tokenEndpoint must be an absolute https URI (http only for a loopback address).", nameof(tokenEndpoint));
        }

        _ownsHttp = httpClient is null;
        _http = httpClient ?? Http.OwnedHttpClient.Create();
        _clock = clock ?? SystemClock.Instance;
    }

    /// <summary>Where tokens are requested.</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>
    /// Where the signer logs, at debug level, each access token it obtains or renews, with the token endpoint and the
    /// token's lifetime; never the token nor the client secret (event ids <see cref="LicenseClientEventIds.TokenObtained"/>
    /// and <see cref="LicenseClientEventIds.TokenRenewed"/>). Defaults to nowhere; a signer the client builds from
    /// <see cref="LicenseClientOptions.ClientId"/> and <see cref="LicenseClientOptions.ClientSecret"/> logs to the client's logger.
    /// </summary>
    public ILogger Logger
    {
        get => _logger;
        init => _logger = value ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="LicenseAuthorizationException">The token endpoint refused the client (<see cref="LicenseErrorCodes.OAuthInvalidClient"/>).</exception>
    /// <exception cref="LicenseApiException">The token endpoint failed, could not be reached, or answered something else than a token.</exception>
    public async ValueTask SignAsync(HttpRequestMessage request, Instant now, CancellationToken cancellationToken)
    {
        Guard.NotNull(request, nameof(request));
        string token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);

        request.Headers.Remove("Date");
        request.Headers.TryAddWithoutValidation("Date", Signing.HttpDate.Format(now));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Disposes the HttpClient the signer created for itself.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// When the API refused the request's token (HTTP 401, <c>oauth_token_expired</c> or <c>oauth_token_malformed</c>),
    /// forgets that token so the request is signed again with a new one; a newer token that another call already
    /// fetched is kept.
    /// </summary>
    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(RequestRefusal refusal, CancellationToken cancellationToken)
    {
        Guard.NotNull(refusal, nameof(refusal));
        if (refusal.Request.Headers.Authorization is not { Scheme: "Bearer", Parameter: string rejected }
            || !(refusal.Status == 401 || refusal.ErrorCode is LicenseErrorCodes.OAuthTokenExpired or LicenseErrorCodes.OAuthTokenMalformed))
        {
            return new ValueTask<bool>(false);
        }

        CachedToken? cached = Volatile.Read(ref _token);
        if (cached is not null && cached.Value == rejected)
        {
            Interlocked.CompareExchange(ref _token, null, cached);
        }

        return new ValueTask<bool>(true);
    }

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _token) is CachedToken fresh && _clock.GetCurrentInstant() < fresh.RenewAt)
        {
            return fresh.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched a token while this one waited.
            CachedToken? cached = Volatile.Read(ref _token);
            if (cached is not null && _clock.GetCurrentInstant() < cached.RenewAt)
            {
                return cached.Value;
            }

            CachedToken token;
            try
            {
                token = await FetchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LicenseApiException) when (cached is not null && _clock.GetCurrentInstant() < cached.ExpiresAt)
            {
                // Renewal failed early, while the cached token is still valid: use it, and renew next time.
                return cached.Value;
            }

            Volatile.Write(ref _token, token);
            ReportObtained(token);
            return token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        Instant requested = _clock.GetCurrentInstant();
        string form = "grant_type=client_credentials&client_id=" + Uri.EscapeDataString(_clientId) + "&client_secret=" + Uri.EscapeDataString(_clientSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        int status;
        byte[] body;
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
#if NET
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
            body = response.Content is null ? [] : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw Failure($"The token endpoint at {TokenEndpoint.Authority} did not answer in time", null, LicenseErrorCodes.Timeout, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.IO.IOException)
        {
            throw Failure($"Could not reach the token endpoint at {TokenEndpoint.Authority}", null, LicenseErrorCodes.ConnectionFailed, ex);
        }

        TokenResponseBody? answer = null;
        try
        {
            answer = JsonSerializer.Deserialize(body, LicenseJsonContext.Default.TokenResponseBody);
        }
        catch (JsonException)
        {
            // Judged by the status below: an error page, or a success that is not a token.
        }

        if (status is >= 400 and < 500 and not 408 and not 429)
        {
            string? error = answer?.Error.ValueKind == JsonValueKind.String ? answer.Error.GetString() : null;
            throw new LicenseAuthorizationException(
                $"The token endpoint at {TokenEndpoint.Authority} refused the client{(error is null ? "" : $" ({error})")}: check LicenseClientOptions.ClientId and ClientSecret ({LicenseErrorCodes.OAuthInvalidClient}).",
                status,
                LicenseErrorCodes.OAuthInvalidClient,
                error,
                innerException: null);
        }

        if (status is < 200 or > 299)
        {
            throw Failure($"The token endpoint at {TokenEndpoint.Authority} answered HTTP {status.ToString(CultureInfo.InvariantCulture)}", status, LicenseErrorCodes.ServiceUnavailable, null);
        }

        if (string.IsNullOrWhiteSpace(answer?.AccessToken) || answer!.ExpiresIn is not double seconds || seconds <= 0)
        {
            throw Failure($"The token endpoint at {TokenEndpoint.Authority} answered without an access token and its expiry", status, LicenseErrorCodes.InvalidResponse, null);
        }

        Duration lifetime = Duration.FromSeconds(seconds);
        Duration margin = Duration.Min(MaxRenewalMargin, lifetime / 2);
        return new CachedToken(answer.AccessToken!, requested + lifetime - margin, requested + lifetime);
    }

    /// <summary>Logs a token's arrival at debug level: the endpoint and the token's lifetime, never the token.</summary>
    private void ReportObtained(CachedToken token)
    {
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            string endpoint = TokenEndpoint.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
            double lifetime = (token.ExpiresAt - _clock.GetCurrentInstant()).TotalSeconds;
            if (_obtained)
            {
                Diagnostics.Log.TokenRenewed(Logger, endpoint, lifetime);
            }
            else
            {
                Diagnostics.Log.TokenObtained(Logger, endpoint, lifetime);
            }
        }

        _obtained = true;
    }

    private static LicenseApiException Failure(string what, int? status, string code, Exception? cause)
        => new($"{what} ({code}).", status, code, serverMessage: null, cause);

    private sealed record CachedToken(string Value, Instant RenewAt, Instant ExpiresAt)
    {
        /// <summary>Never shows the token.</summary>
        public override string ToString() => $"token renewed at {RenewAt}";
    }
}
