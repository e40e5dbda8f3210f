using System.Net;
using System.Net.Sockets;

namespace SaasPanel.Benchmarks.Machine;

internal static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 that the OS just handed out, so a run never collides with anything else on the host.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
