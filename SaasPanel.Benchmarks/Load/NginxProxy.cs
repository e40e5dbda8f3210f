using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Contracts;

namespace SaasPanel.Benchmarks.Load;

/// <summary>
/// nginx as the reference reverse proxy for one workspace: a generated configuration that forwards
/// <c>/u/&lt;user&gt;/</c> to the container with its gateway secret, as the gateway does. nginx does not pick its port:
/// it is handed a socket already listening on a port the OS chose, as nginx's own binary upgrade hands sockets over
/// (the <c>NGINX</c> variable), so no other process can take the port between choosing and binding it.
/// </summary>
internal sealed partial class NginxProxy : IAsyncDisposable
{
    private const int SetDescriptorFlags = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, Uri workspaceAddress)
    {
        _process = process;
        _directory = directory;
        WorkspaceAddress = workspaceAddress;
    }

    /// <summary>The workspace's page through nginx.</summary>
    public Uri WorkspaceAddress { get; }

    public static async Task<NginxProxy> StartAsync(string userName, string upstream, string gatewaySecret, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("saaspanel-bench-nginx-").FullName;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(511);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var configuration = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configuration, Configuration(directory, port, userName, upstream, gatewaySecret), cancellationToken);

        var descriptor = (int)listener.Handle;
        // .NET opens sockets close-on-exec; nginx must inherit this one.
        if (SetFlags(descriptor, SetDescriptorFlags, 0) != 0)
        {
            throw new InvalidOperationException($"Could not hand the listening socket to nginx (errno {Marshal.GetLastPInvokeError()}).");
        }

        var start = new ProcessStartInfo("nginx") { Environment = { ["NGINX"] = $"{descriptor};" } };
        foreach (var argument in new[] { "-p", directory, "-c", configuration })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        var proxy = new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}/u/{userName}/"));
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            await Poll.UntilOkAsync(http, () => new HttpRequestMessage(HttpMethod.Get, proxy.WorkspaceAddress), TimeSpan.FromMilliseconds(50),
                StartTimeout, "nginx to forward to the workspace", cancellationToken);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetFlags(int descriptor, int command, int flags);

    /// <summary>A plain keep-alive reverse proxy: as many workers as cores, pooled upstream connections, no access log.</summary>
    private static string Configuration(string directory, int port, string userName, string upstream, string gatewaySecret) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                upstream workspace {
                    server {{upstream}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location /u/{{userName}}/ {
                        proxy_pass http://workspace/;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header {{Headers.GatewaySecret}} "{{gatewaySecret}}";
                        proxy_set_header {{Headers.ForwardedPrefix}} /u/{{userName}};
                    }
                }
            }
            """);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
