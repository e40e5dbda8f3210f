using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Gateway;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

/// <summary>
/// The gateway traces a sample of its requests (<c>Gateway:TraceSampleRatio</c>) and the rest of Auth every
/// request: read from what Auth's OpenTelemetry pipeline exports, with a real echo server as the container.
/// </summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class GatewayTracingTests
{
    private const string Secret = "alice-gateway-secret";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public async Task Forwarded_requests_are_traced_at_the_sample_ratio_and_everything_else_always(double ratio, bool gatewayTraced)
    {
        var telemetry = new ExportedTelemetry();
        await using var control = await FakeControlApi.StartNewAsync();
        await using var container = await EchoWorkspace.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress,
            new Dictionary<string, string?> { ["Gateway:TraceSampleRatio"] = ratio.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            telemetry.AddTo);
        using var alice = auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await alice.RegisterAsync("alice", "alice@example.com", "password1")).StatusCode);
        await Eventually.AssertAsync(() => Task.FromResult(control.OpenStreams == 1), s_deadline, "Auth following the change stream");
        control.Publish(FakeControlApi.Running("alice", container.Endpoint, Secret));
        var routes = auth.Services.GetRequiredService<GatewayRouteTable>();
        await Eventually.AssertAsync(() => Task.FromResult(routes.TryGet("alice", out var route) && route.IsRunning), s_deadline, "alice running");

        var probe = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/u/alice/{probe}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/elsewhere-{probe}")).StatusCode);

        // A span is exported when it ends, a moment after the client has the response.
        var expected = gatewayTraced ? 5 : 0;
        await Eventually.AssertAsync(() => Task.FromResult(ServerSpans(telemetry, $"/elsewhere-{probe}").Count == 1
            && ServerSpans(telemetry, $"/u/alice/{probe}").Count >= expected), s_deadline, "the spans exported");
        var gateway = ServerSpans(telemetry, $"/u/alice/{probe}");
        Assert.Equal(expected, gateway.Count);
        // The call to the container is traced with its request, or not at all.
        Assert.Equal(expected, telemetry.Spans.Count(s => s.Kind == ActivityKind.Client && gateway.Any(g => g.SpanId == s.ParentSpanId)));
    }

    private static List<Activity> ServerSpans(ExportedTelemetry telemetry, string path) =>
        telemetry.Spans.Where(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == path).ToList();
}
