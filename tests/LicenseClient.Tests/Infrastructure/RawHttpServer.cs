using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>
/// A loopback TCP server that reads each request and answers with the same raw bytes, then closes the connection:
/// for answers no well-behaved server sends (broken framing, huge headers, corrupt compressed bodies).
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _answer;
    private int _requests;

    public RawHttpServer(byte[] answer)
    {
        _answer = answer;
        _listener.Start();
        _ = AcceptAsync();
    }

    public RawHttpServer(string answer)
        : this(Encoding.ASCII.GetBytes(answer))
    {
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many whole requests have been read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public void Dispose() => _listener.Stop();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient connection = await _listener.AcceptTcpClientAsync();
                _ = AnswerAsync(connection);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                NetworkStream stream = connection.GetStream();
                await ReadRequestAsync(stream);
                Interlocked.Increment(ref _requests);
                await stream.WriteAsync(_answer);
            }
            catch (Exception ex) when (ex is SocketException or System.IO.IOException or ObjectDisposedException)
            {
                // The client went away first.
            }
        }
    }

    /// <summary>Reads the request head and as many body bytes as its <c>Content-Length</c> says.</summary>
    private static async Task ReadRequestAsync(NetworkStream stream)
    {
        var received = new StringBuilder();
        byte[] buffer = new byte[4096];
        int headEnd;
        while ((headEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        string head = received.ToString(0, headEnd);
        int lengthAt = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        int length = lengthAt < 0 ? 0 : int.Parse(head[(lengthAt + 15)..].Split('\r')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        int remaining = length - (received.Length - headEnd - 4);
        while (remaining > 0)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)));
            if (read == 0)
            {
                return;
            }

            remaining -= read;
        }
    }
}
