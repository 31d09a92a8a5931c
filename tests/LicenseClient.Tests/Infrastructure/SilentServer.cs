using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>
/// A loopback TCP server that accepts connections and never answers: a hung License API.
/// It records each accepted connection so a test can await the moment a request is in flight.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SilentServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many connections have been accepted.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Completes when the first connection has been accepted.</summary>
    public Task FirstConnection => _firstConnection.Task;

    public void Dispose()
    {
        _listener.Stop();
        foreach (TcpClient connection in _connections)
        {
            connection.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                _connections.Add(await _listener.AcceptTcpClientAsync());
                _firstConnection.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The listener was stopped: the server is gone.
        }
    }
}
