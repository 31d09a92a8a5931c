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

/// <summary>Many borrows at once through one client against the emulator: all succeed, over a bounded set of connections.</summary>
public sealed class LoadTests
{
    private const int Borrows = 2000;
    private const int Concurrency = 32;
    private const string Product = "app";
    private const string LicenseKey = "KEY-LOAD";

    [Fact]
    public async Task Two_thousand_borrows_at_concurrency_32_through_one_client_all_succeed_over_at_most_32_connections()
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
        using var handler = new SocketsHttpHandler { ConnectCallback = connections.ConnectAsync };
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
        Assert.InRange(connections.Opened, 1, Concurrency);
        Assert.InRange(connections.MostOpenAtOnce, 1, Concurrency);
    }

    /// <summary>Opens the handler's TCP connections, counting how many it opened and how many were open at once.</summary>
    private sealed class ConnectionCounter
    {
        private readonly Lock _gate = new();
        private int _opened;
        private int _open;
        private int _mostOpen;

        public int Opened
        {
            get
            {
                lock (_gate)
                {
                    return _opened;
                }
            }
        }

        public int MostOpenAtOnce
        {
            get
            {
                lock (_gate)
                {
                    return _mostOpen;
                }
            }
        }

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

            lock (_gate)
            {
                _opened++;
                _open++;
                _mostOpen = Math.Max(_mostOpen, _open);
            }

            return new CountedStream(socket, Closed);
        }

        private void Closed()
        {
            lock (_gate)
            {
                _open--;
            }
        }
    }

    /// <summary>A connection's stream that reports when the handler closes it.</summary>
    private sealed class CountedStream(Socket socket, Action closed) : NetworkStream(socket, ownsSocket: true)
    {
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                closed();
            }

            base.Dispose(disposing);
        }
    }
}
