using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Testing;
using NodaTime;

namespace LicenseClient.Tests.Reliability;

/// <summary>Many borrows at once through one client against the emulator: all succeed, over connections that are reused, never replaced.</summary>
public sealed class LoadTests
{
    private const int Borrows = 2000;
    private const int Concurrency = 32;
    private const string Product = "app";
    private const string LicenseKey = "KEY-LOAD";

    [Fact]
    public async Task Two_thousand_borrows_at_concurrency_32_through_one_client_all_succeed_and_reuse_their_connections()
    {
        await using LicenseApiEmulator emulator = await LicenseApiEmulator.StartAsync(new EmulatorOptions
        {
            AutoActivateDevices = true,
            Seed = new EmulatorSeed
            {
                Products = [new EmulatedProduct { Code = Product }],
                Licenses = [new EmulatedLicense { Id = 1, Product = Product, LicenseKey = LicenseKey, FloatingUsers = Concurrency, MaxBorrowTime = Duration.FromHours(24) }],
            },
        });
        var connections = new ConnectionCounter();
        // The pool is capped at the concurrency, as a service borrowing for many users would set it: the handler
        // itself may otherwise open one connection more than the requests in flight (an attempt it started is not
        // called off when another connection frees first). Under the cap, a connection the client failed to give
        // back would starve the lanes, and one it spoiled (a body not read to its end) would be replaced by a new one.
        using var handler = new SocketsHttpHandler { ConnectCallback = connections.ConnectAsync, MaxConnectionsPerServer = Concurrency };
        using var http = new HttpClient(handler);
        using var client = new LicenseApiClient(http, emulator.CreateClientOptions());
        LicenseCredential key = LicenseCredential.FromLicenseKey(LicenseKey);
        int next = 0;

        // Each lane borrows for a device of its own, again and again: every borrow after the first extends its seat.
        async Task<int> LaneAsync(int lane)
        {
            var request = new BorrowRequest(Product, $"device-{lane}", key);
            int borrowed = 0;
            while (Interlocked.Increment(ref next) <= Borrows)
            {
                BorrowedLicense seat = await client.BorrowAsync(request);
                Assert.Equal(1, seat.LicenseId);
                borrowed++;
            }

            return borrowed;
        }

        Task<int>[] lanes = Enumerable.Range(0, Concurrency).Select(lane => Task.Run(() => LaneAsync(lane))).ToArray();
        int[] perLane = await Task.WhenAll(lanes);

        Assert.Equal(Borrows, perLane.Sum());

        // Nothing retried, nothing still on its way: the emulator saw exactly one request per borrow.
        Assert.Equal(Borrows, emulator.RequestCount);
        Assert.Equal(Concurrency, emulator.SeatsInUse(1));
        // Every connection was reused to the end: none was replaced.
        Assert.InRange(connections.Opened, 1, Concurrency);
    }

    /// <summary>Opens the handler's TCP connections, counting how many it opened.</summary>
    private sealed class ConnectionCounter
    {
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            Interlocked.Increment(ref _opened);
            return new NetworkStream(socket, ownsSocket: true);
        }
    }
}
