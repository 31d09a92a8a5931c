using System;
using System.Collections.Generic;
using System.Linq;
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
    public const string ApiKey = "test-api-key";
    public const string SharedKey = "test-shared-key-0123456789";

    public const string SuccessBody =
        "{\"borrowed_until\":\"2030-01-02T03:04:05.000Z\",\"max_borrow_time\":12,\"device_id\":1687283003863909,\"license_id\":1673449189923780,\"company\":{\"id\":276}}";

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

    public LicenseClientOptions Options() => new()
    {
        BaseAddress = BaseAddress,
        ApiKey = ApiKey,
        SharedKey = SharedKey,
        Clock = Clock,
    };

    public LicenseApiClient CreateClient() => new(Options());

    public LicenseApiStub RespondToBorrow(int status, string body, string contentType = "application/json")
    {
        Server.Given(Request.Create().WithPath(BorrowPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
        return this;
    }

    public LicenseApiStub RespondWithError(int status, string code, string message)
        => RespondToBorrow(status, JsonSerializer.Serialize(new { status, code, message }));

    public LicenseApiStub RespondWithSuccess() => RespondToBorrow(200, SuccessBody);

    /// <summary>Answers the borrow with a redirect to a path that would answer with success.</summary>
    public LicenseApiStub RespondWithRedirect(int status)
    {
        Server.Given(Request.Create().WithPath(BorrowPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", "/elsewhere"));
        Server.Given(Request.Create().WithPath("/elsewhere"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(SuccessBody));
        return this;
    }

    public void Dispose() => Server.Stop();
}
