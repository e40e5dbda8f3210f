using System.Net;
using System.Net.WebSockets;
using System.Text;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

/// <summary>Websockets need a real server (the in-memory test server cannot upgrade a forwarded connection), so Auth runs on Kestrel here.</summary>
public sealed class GatewayWebSocketTests
{
    [Fact]
    public async Task Websockets_pass_through_the_gateway_to_the_container()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var container = await EchoWorkspace.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        var port = TestNetwork.FreePort();
        auth.UseKestrel(port);
        auth.StartServer();
        var cookies = new CookieContainer();
        using var browser = new AuthTestClient(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync("walt", "walt@example.com", "password1")).StatusCode);
        control.Publish(FakeControlApi.Running("walt", container.Endpoint, "walt-secret"));
        await Eventually.AssertAsync(async () => (await browser.Http.GetAsync("/u/walt/")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "walt's workspace reachable");

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies.GetCookieHeader(browser.Http.BaseAddress!));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/u/walt/ws"), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
