using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseClient.Benchmarks;

/// <summary>
/// Kestrel on loopback that answers every POST with one borrow answer signed once at start with a key of its own,
/// so a benchmark measures the client and not a server. Under <see cref="RefusedPrefix"/> it answers every POST
/// with a <c>floating_not_available</c> refusal (HTTP 400) instead.
/// </summary>
public sealed class SignedAnswerServer : IAsyncDisposable
{
    /// <summary>A path prefix whose requests are refused: a client with base address <see cref="RefusingAddress"/> gets only refusals.</summary>
    public const string RefusedPrefix = "/refused/";

    /// <summary>The borrow answer every request gets.</summary>
    public static readonly byte[] BorrowAnswer =
        """{"borrowed_until":"2030-01-02T03:04:05.000Z","max_borrow_time":24,"device_id":42,"license_id":7}"""u8.ToArray();

    /// <summary>The refusal every request under <see cref="RefusedPrefix"/> gets.</summary>
    public static readonly byte[] RefusalAnswer =
        """{"status":400,"code":"floating_not_available","message":"No floating seat is available."}"""u8.ToArray();

    private readonly WebApplication _app;
    private readonly string _signature;

    private SignedAnswerServer(WebApplication app, string signature, string publicKeyPem)
    {
        _app = app;
        _signature = signature;
        PublicKeyPem = publicKeyPem;
    }

    /// <summary>The address to borrow from.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>An address whose borrows are all refused.</summary>
    public Uri RefusingAddress => new(BaseAddress, RefusedPrefix.TrimStart('/'));

    /// <summary>The public key (PEM) that verifies <see cref="BorrowAnswer"/>'s signature.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Starts the server on <paramref name="port"/> (0: a free one).</summary>
    public static async Task<SignedAnswerServer> StartAsync(int port = 0)
    {
        using var key = RSA.Create(2048);
        string signature = Convert.ToBase64String(key.SignData(BorrowAnswer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        var server = new SignedAnswerServer(app, signature, key.ExportSubjectPublicKeyInfoPem());
        app.Run(server.AnswerAsync);
        await app.StartAsync();

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        bool refused = context.Request.Path.StartsWithSegments(RefusedPrefix.TrimEnd('/'), StringComparison.Ordinal);
        byte[] body = refused ? RefusalAnswer : BorrowAnswer;
        context.Response.StatusCode = refused ? 400 : 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        if (!refused)
        {
            context.Response.Headers["LicenseSignature"] = _signature;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
