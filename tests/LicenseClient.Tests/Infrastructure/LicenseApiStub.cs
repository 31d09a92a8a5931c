using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using NodaTime;
using NodaTime.Testing;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>A WireMock.Net server on loopback that plays the License API's borrow endpoint.</summary>
public sealed class LicenseApiStub : IDisposable
{
    public const string BorrowPath = "/api/v4/floating/borrow";
    public const string ReleasePath = "/api/v4/floating/release";
    public const string FeatureBorrowPath = "/api/v4/floating/feature_borrow";
    public const string FeatureReleasePath = "/api/v4/floating/feature_release";
    public const string TokenPath = "/oauth/token";
    public const string ApiKey = "test-api-key";
    public const string SharedKey = "test-shared-key-0123456789";

    public const string SuccessBody =
        "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1687283003863909,\"license_id\":1673449189923780,\"company\":{\"id\":276}}";

    private readonly List<HttpClient> _httpClients = [];

    public LicenseApiStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress => new(Server.Urls[0] + "/");

    /// <summary>A clock fixed at 2026-11-26T12:00:00Z.</summary>
    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 26, 12, 0, 0));

    public IReadOnlyList<IRequestMessage> Requests => Server.LogEntries.Select(entry => entry.RequestMessage).ToList();

    public IRequestMessage SingleRequest => Assert.Single(Requests);

    /// <summary>Options for this stub, retrying without waiting (tests of the waits set a fake time provider).</summary>
    public LicenseClientOptions Options() => new()
    {
        BaseAddress = BaseAddress,
        ApiKey = ApiKey,
        SharedKey = SharedKey,
        Clock = Clock,
        ServerPublicKey = TestKeys.PublicKeyPem,
        Retry = { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
    };

    /// <summary>Points options registered through dependency injection at this stub, with its keys.</summary>
    public void Configure(LicenseClientOptions options)
    {
        options.BaseAddress = BaseAddress;
        options.ServerPublicKey = TestKeys.PublicKeyPem;
        options.ApiKey = ApiKey;
        options.SharedKey = SharedKey;
    }

    /// <summary>
    /// How far the server's clock (which dates its answers) is ahead of <see cref="Clock"/>; <see langword="null"/>
    /// for answers without a <c>Date</c>.
    /// </summary>
    public Duration? ServerClockOffset { get; set; } = Duration.Zero;

    /// <summary>
    /// A client over an HttpClient whose answers are dated by the server's clock (<see cref="Clock"/> plus
    /// <see cref="ServerClockOffset"/>), as the License API dates its own; WireMock.Net would send this
    /// machine's time instead.
    /// </summary>
    public LicenseApiClient CreateClient(LicenseClientOptions? options = null)
    {
        var http = new HttpClient(new ServerDateHandler(() => ServerClockOffset is Duration offset ? Clock.GetCurrentInstant() + offset : null));
        _httpClients.Add(http);
        return new LicenseApiClient(http, options ?? Options());
    }

    public LicenseApiStub RespondToBorrow(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        Server.Given(Request.Create().WithPath(BorrowPath).UsingPost()).RespondWith(Answer(status, body, contentType, headers));
        return this;
    }

    /// <summary>Answers every POST to <paramref name="path"/> with <paramref name="answer"/>.</summary>
    public LicenseApiStub RespondAt(string path, IResponseBuilder answer)
    {
        Server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(answer);
        return this;
    }

    /// <summary>Answers successive POSTs to <paramref name="path"/> with <paramref name="answers"/> in turn; the last one repeats.</summary>
    public LicenseApiStub RespondInTurnAt(string path, params IResponseBuilder[] answers) => InTurn(path, answers);

    /// <summary>Answers successive borrows with <paramref name="answers"/> in turn; the last one answers every later borrow.</summary>
    public LicenseApiStub RespondInTurn(params IResponseBuilder[] answers) => InTurn(BorrowPath, answers);

    /// <summary>Answers the first <paramref name="outages"/> borrows with a proxy's 503 page, and every later one with a signed success.</summary>
    public LicenseApiStub RespondBusyThenSuccess(int outages)
        => RespondInTurn([.. Enumerable.Repeat(UnsignedAnswer(503, "<html>busy</html>", "text/html"), outages), SuccessAnswer()]);

    /// <summary>The OAuth token endpoint on this server.</summary>
    public Uri TokenEndpoint => new(BaseAddress, TokenPath.TrimStart('/'));

    /// <summary>Token requests the server received.</summary>
    public IReadOnlyList<IRequestMessage> TokenRequests => Requests.Where(r => r.Path == TokenPath).ToList();

    /// <summary>Borrow requests the server received.</summary>
    public IReadOnlyList<IRequestMessage> BorrowRequests => Requests.Where(r => r.Path == BorrowPath).ToList();

    /// <summary>A token endpoint answer: <c>{"access_token": …, "expires_in": …}</c>.</summary>
    public static IResponseBuilder TokenAnswer(string token, int expiresIn = 480)
        => UnsignedAnswer(200, JsonSerializer.Serialize(new { access_token = token, expires_in = expiresIn, token_type = "Bearer" }));

    /// <summary>Answers token requests with <paramref name="answers"/> in turn (the last one repeats).</summary>
    public LicenseApiStub RespondToTokenInTurn(params IResponseBuilder[] answers) => InTurn(TokenPath, answers);

    /// <summary>Answers successive POSTs to <paramref name="path"/> with <paramref name="answers"/> in turn; the last one repeats.</summary>
    private LicenseApiStub InTurn(string path, IResponseBuilder[] answers)
    {
        if (answers.Length == 1)
        {
            Server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(answers[0]);
            return this;
        }

        for (int turn = 0; turn < answers.Length; turn++)
        {
            // The first turn's mapping matches in every state, so each later turn takes precedence over it.
            IRespondWithAProvider mapping = Server.Given(Request.Create().WithPath(path).UsingPost())
                .AtPriority(answers.Length - turn)
                .InScenario(path);
            if (turn > 0)
            {
                mapping = mapping.WhenStateIs($"turn {turn}");
            }

            // The last turn keeps its state: a scenario that reaches a mapping with no next state starts over.
            mapping.WillSetStateTo($"turn {Math.Min(turn + 1, answers.Length - 1)}").RespondWith(answers[turn]);
        }

        return this;
    }

    /// <summary>Options that sign with OAuth client credentials against this server's token endpoint.</summary>
    public LicenseClientOptions OAuthOptions(string clientSecret = "client-secret-0123")
    {
        LicenseClientOptions options = Options();
        options.ApiKey = null;
        options.SharedKey = null;
        options.ClientId = "client-1";
        options.ClientSecret = clientSecret;
        options.TokenEndpoint = TokenEndpoint;
        return options;
    }

    /// <summary>The successful borrow answer.</summary>
    public static IResponseBuilder SuccessAnswer(params (string Name, string Value)[] headers) => Answer(200, SuccessBody, "application/json", headers);

    /// <summary>
    /// An answer with a body of <paramref name="contentType"/> and the extra <paramref name="headers"/>, signed
    /// (<c>LicenseSignature</c>) with <see cref="TestKeys"/> as the License API signs its answers.
    /// </summary>
    public static IResponseBuilder Answer(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
        => UnsignedAnswer(status, body, contentType, body.Length > 0 ? [("LicenseSignature", TestKeys.Sign(body)), .. headers] : headers);

    /// <summary>An answer with only the given <paramref name="headers"/>: no <c>LicenseSignature</c> unless among them.</summary>
    public static IResponseBuilder UnsignedAnswer(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        IResponseBuilder answer = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);

        foreach ((string name, string value) in headers)
        {
            answer = answer.WithHeader(name, value);
        }

        return answer;
    }

    /// <summary>An error answer in the License API's JSON form.</summary>
    public static IResponseBuilder ErrorAnswer(int status, string code, string message, params (string Name, string Value)[] headers)
        => Answer(status, JsonSerializer.Serialize(new { status, code, message }), "application/json", headers);

    public LicenseApiStub RespondWithError(int status, string code, string message)
    {
        Server.Given(Request.Create().WithPath(BorrowPath).UsingPost()).RespondWith(ErrorAnswer(status, code, message));
        return this;
    }

    public LicenseApiStub RespondWithSuccess() => RespondToBorrow(200, SuccessBody);

    /// <summary>Answers the borrow with a redirect to a path that would answer with success.</summary>
    public LicenseApiStub RespondWithRedirect(int status)
    {
        Server.Given(Request.Create().WithPath(BorrowPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", "/elsewhere"));
        Server.Given(Request.Create().WithPath("/elsewhere"))
            .RespondWith(Answer(200, SuccessBody));
        return this;
    }

    public void Dispose()
    {
        Server.Stop();
        _httpClients.ForEach(http => http.Dispose());
    }
}
