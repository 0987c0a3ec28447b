using System.Net;
using System.Net.Sockets;

namespace Orian.Service.Security;

/// <summary>What counts as one source for the per-source limits: an IPv4 address (an IPv4-mapped IPv6
/// address is its IPv4 address), or an IPv6 /64, the network one host is usually given, so that a
/// client cannot become thousands of sources by walking its own /64.</summary>
internal static class SourceAddress
{
    public static IPAddress? Of(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
