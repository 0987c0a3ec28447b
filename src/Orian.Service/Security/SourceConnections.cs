using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Orian.Service.Security;

/// <summary>
/// A cap on the connections one source (<see cref="SourceAddress"/>) holds at once (Kestrel caps only the total): a
/// connection over the cap is closed as it opens, before TLS or HTTP, so one address cannot take every
/// connection the server allows and lock PPS out. Kestrel connection middleware, on every endpoint.
/// </summary>
internal sealed class SourceConnections(int maxPerSource)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Connections closed because their address was at the cap.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var source = SourceAddress.Of((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (source is null)
        {
            await next(connection);
            return;
        }

        if (_open.AddOrUpdate(source, 1, (_, n) => n + 1) > maxPerSource)
        {
            Release(source);
            Interlocked.Increment(ref _refused);
            connection.Abort(new ConnectionAbortedException("too many connections from this address"));
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Release(source);
        }
    };

    private void Release(IPAddress source)
    {
        while (true)
        {
            var n = _open[source];
            if (n == 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(source, 1)) : _open.TryUpdate(source, n - 1, n))
            {
                return;
            }
        }
    }
}
