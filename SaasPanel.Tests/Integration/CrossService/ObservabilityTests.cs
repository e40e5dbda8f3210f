using System.Diagnostics;
using System.Net;
using SaasPanel.Auth.Telemetry;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.CrossService;

/// <summary>
/// A registration followed through the telemetry both services export: Auth and Control in memory,
/// Auth calling Control over real HTTP on loopback (so the trace context travels as it does in
/// production), Control on the real engine.
/// </summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string User = "olivia";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ExportedTelemetry _authTelemetry = new();
    private readonly ExportedTelemetry _controlTelemetry = new();

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registration_is_one_trace_from_Auth_through_Control_to_the_engine_and_times_the_provisioning()
    {
        var controlPort = TestNetwork.FreePort();
        // No sweep during the test: a sweep that found the new row before the API's wake-up would start its own trace.
        await using var control = new ControlHost(settings: new Dictionary<string, string?> { ["Reconciler:SweepInterval"] = "00:10:00" },
            configure: _controlTelemetry.AddTo, port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/",
            new Dictionary<string, string?> { ["ControlClient:ApiKey"] = control.Data.ApiKey }, _authTelemetry.AddTo);
        using var browser = auth.CreateBrowser();

        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync(User, $"{User}@example.com", "password1")).StatusCode);
        await control.WaitForStateAsync(User, WorkspaceState.Running, Deadline);

        // The reconcile that made it Running ends a moment after it says so.
        await Eventually.AssertAsync(() => Task.FromResult(ExportedSpans().Any(IsReconcile)), Deadline, "the reconcile span");

        var spans = ExportedSpans();
        var register = Assert.Single(spans, span => span.Kind == ActivityKind.Server
            && Tag(span, "http.request.method") == "POST" && Tag(span, "url.path") == "/user/register");
        var trace = spans.Where(s => s.TraceId == register.TraceId).ToList();

        var dispatch = Assert.Single(trace, s => s.Source.Name == AuthTelemetry.Name && s.DisplayName == "outbox dispatch");
        Assert.Equal(register.SpanId, dispatch.ParentSpanId);
        Assert.Equal(User, Tag(dispatch, "saaspanel.user"));
        var call = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == dispatch.SpanId);
        var put = Assert.Single(trace, s => s.Kind == ActivityKind.Server && Tag(s, "http.route") == "/api/workspaces/{user}");
        Assert.Equal("PUT", Tag(put, "http.request.method"));
        Assert.Equal(call.SpanId, put.ParentSpanId);
        var reconcile = Assert.Single(trace, IsReconcile);
        Assert.Equal(put.SpanId, reconcile.ParentSpanId);
        var engineCalls = trace.Where(s => s.ParentSpanId == reconcile.SpanId && s.Kind == ActivityKind.Client).ToList();
        Assert.Contains(engineCalls, s => s.DisplayName == "docker create" && Tag(s, "saaspanel.user") == User);
        Assert.Contains(engineCalls, s => s.DisplayName == "docker start" && Tag(s, "container.id") is { Length: > 0 });

        var provisioning = _controlTelemetry.CollectHistogram("saaspanel.workspace.provision.duration");
        Assert.True(provisioning.Count >= 1, "the provisioning histogram has no sample");
        // The exemplar ties the sample to this registration, not to some other workspace in this process.
        Assert.Contains(register.TraceId, provisioning.ExemplarTraceIds);
    }

    private List<Activity> ExportedSpans() =>
        _authTelemetry.Spans.Concat(_controlTelemetry.Spans).DistinctBy(span => span.SpanId).ToList();

    private static bool IsReconcile(Activity span) =>
        span.Source.Name == ControlTelemetry.Name && span.DisplayName == "reconcile workspace" && Tag(span, "saaspanel.user") == User;

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}
