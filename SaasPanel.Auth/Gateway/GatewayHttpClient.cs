using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> every forwarded request shares: its connection pool is what
/// makes the gateway fast. No proxy, no cookies, no redirects, no decompression — it relays bytes.
/// </summary>
public sealed class GatewayHttpClient : IDisposable
{
    public GatewayHttpClient(IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = settings.ConnectTimeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        });
        // Containers speak plain HTTP/1.1 on loopback; asking for HTTP/2 first would only cost a negotiation.
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    public HttpTransformer Transformer { get; } = new GatewayTransformer();

    public void Dispose() => Invoker.Dispose();
}
