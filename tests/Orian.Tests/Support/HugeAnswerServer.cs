using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orian.Tests.Support;

/// <summary>
/// A server on 127.0.0.1 that answers every request with a 201 whose chunked body goes on for
/// <see cref="TotalBytes"/>, written straight to a socket so that <see cref="BytesSent"/> counts only
/// what the kernel accepted: once the client closes, the next sends fail and the count stops.
/// </summary>
internal sealed class HugeAnswerServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private long _sent;

    public HugeAnswerServer(long totalBytes)
    {
        TotalBytes = totalBytes;
        _listener.Start();
        _serving = ServeAsync();
    }

    public long TotalBytes { get; }

    public long BytesSent => Interlocked.Read(ref _sent);

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[8192];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"), _stop.Token);
                var chunk = Encoding.ASCII.GetBytes("10000\r\n" + "{" + new string(' ', 0xFFFF) + "\r\n");
                for (long body = 0; body < TotalBytes; body += 0x10000)
                {
                    await socket.SendAsync(chunk, _stop.Token);
                    Interlocked.Add(ref _sent, chunk.Length);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client closed the connection: the count stops here
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
