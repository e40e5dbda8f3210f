using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// The <see cref="HttpMessageInvoker"/>s every forwarded request shares: their connection pools are what make the
/// gateway fast. No proxy, no cookies, no redirects, no decompression — they relay bytes. A traced request (see
/// <see cref="GatewayOptions.TraceSampleRatio"/>) goes through one that starts a client span and propagates the trace
/// to the container; the others skip .NET's diagnostics handler, which would create and propagate an activity per
/// request only for the sampler to drop it.
/// </summary>
public sealed class GatewayHttpClient : IDisposable
{
    private readonly HttpMessageInvoker _traced;
    private readonly HttpMessageInvoker _untraced;

    public GatewayHttpClient(IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        _traced = new HttpMessageInvoker(NewHandler(settings, new ReverseProxyPropagator(DistributedContextPropagator.Current)));
        _untraced = new HttpMessageInvoker(NewHandler(settings, propagator: null));
        // Containers speak plain HTTP/1.1 on loopback; asking for HTTP/2 first would only cost a negotiation.
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public ForwarderRequestConfig RequestConfig { get; }

    public HttpTransformer Transformer { get; } = new GatewayTransformer();

    /// <summary>The invoker for the current request: traced when the sampler kept its server span.</summary>
    public HttpMessageInvoker InvokerFor(Activity? current) => current is { Recorded: true } ? _traced : _untraced;

    private static SocketsHttpHandler NewHandler(GatewayOptions settings, DistributedContextPropagator? propagator) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = settings.ConnectTimeout,
        // Without a propagator SocketsHttpHandler leaves its diagnostics handler out of the chain.
        ActivityHeadersPropagator = propagator,
    };

    public void Dispose()
    {
        _traced.Dispose();
        _untraced.Dispose();
    }
}
