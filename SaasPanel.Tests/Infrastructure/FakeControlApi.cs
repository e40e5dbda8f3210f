using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SaasPanel.Contracts;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback that speaks Control's workspace API contract (the calls Auth makes
/// and the change stream), for testing Auth before and apart from Control. It validates a provisioning
/// request with the contract's rules as Control does (400 with problem details), records every call,
/// can answer 503 on demand, and can start late or stop, like a Control that is down.
/// </summary>
public sealed class FakeControlApi : IAsyncDisposable
{
    public const string ApiKey = "test-control-api-key-0123456789";

    private readonly ConcurrentDictionary<string, WorkspaceChangeEvent> _workspaces = new();
    private readonly ConcurrentDictionary<string, long> _generations = new();
    private readonly ConcurrentDictionary<string, string> _owners = new();
    private readonly ConcurrentDictionary<Channel<WorkspaceChangeEvent?>, byte> _streams = new();
    private volatile TaskCompletionSource _released = Released();
    private int _inFlight;
    private int _maxInFlight;
    private WebApplication? _app;

    public FakeControlApi(int? port = null) => Port = port ?? TestNetwork.FreePort();

    public int Port { get; }

    public string BaseAddress => $"http://127.0.0.1:{Port}/";

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>How many of the next PUT/DELETE/start calls answer 503.</summary>
    public int FailNextCalls;

    public int OpenStreams => _streams.Count;

    /// <summary>How many PUT/DELETE/start calls are being answered right now (held ones included).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most PUT/DELETE/start calls that were in flight at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>From now on, PUT/DELETE/start calls are recorded on arrival but not answered until <see cref="ReleaseCalls"/>.</summary>
    public void HoldCalls() => _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers every held call, and every later one straight away.</summary>
    public void ReleaseCalls() => _released.TrySetResult();

    public static async Task<FakeControlApi> StartNewAsync()
    {
        var control = new FakeControlApi();
        await control.StartAsync();
        return control;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseAddress);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers[Headers.ApiKey] != ApiKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapGet("/" + WorkspaceChangeEvent.Path, StreamChangesAsync);
        app.MapPut("/api/workspaces/{user}", async (string user, HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var email = body.RootElement.TryGetProperty("email", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (body.RootElement.TryGetProperty("ownerId", out var owner) && owner.GetString() is { } ownerId)
            {
                _owners[user] = ownerId;
            }

            if (Refusal(user, email?.Trim()) is { } refusal)
            {
                Calls.Enqueue($"PUT {user} {email}");
                return refusal;
            }

            return await RecordAsync($"PUT {user} {email}", StatusCodes.Status201Created);
        });
        app.MapDelete("/api/workspaces/{user}", (string user) => RecordAsync($"DELETE {user}", StatusCodes.Status202Accepted));
        app.MapPost("/api/workspaces/{user}/start", (string user) => RecordAsync($"START {user}", StatusCodes.Status202Accepted));
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            DropStreams();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A running workspace's event, reachable at <paramref name="endpoint"/>; <see cref="Publish"/> gives it its generation.</summary>
    public static WorkspaceChangeEvent Running(string userName, string endpoint, string secret) =>
        Change(userName, WorkspaceStates.Running, DesiredStates.Running, endpoint, secret);

    /// <summary>An event without a generation (0): <see cref="Publish"/> and <see cref="SetSilently"/> give it the next one.</summary>
    public static WorkspaceChangeEvent Change(string userName, string state, string desiredState, string? endpoint = null,
        string? secret = null, string? lastError = null) =>
        new(userName, state, desiredState, endpoint, secret, Generation: 0, lastError);

    /// <summary>
    /// Sets a workspace's state and tells every connected stream. An event without a generation gets the workspace's
    /// next one, as Control bumps it on every change; one with a generation goes out as it is (to test ordering).
    /// </summary>
    public void Publish(WorkspaceChangeEvent workspace)
    {
        workspace = Stamped(workspace);
        if (workspace.State == WorkspaceStates.Deleted)
        {
            _workspaces.TryRemove(workspace.UserName, out _);
        }
        else
        {
            _workspaces[workspace.UserName] = workspace;
        }

        foreach (var stream in _streams.Keys)
        {
            stream.Writer.TryWrite(workspace);
        }
    }

    /// <summary>Changes a workspace without telling anyone, so only a new snapshot shows it.</summary>
    public void SetSilently(WorkspaceChangeEvent workspace) => _workspaces[workspace.UserName] = Stamped(workspace);

    public void RemoveSilently(string userName) => _workspaces.TryRemove(userName, out _);

    /// <summary>Ends every open change stream, as a Control restart would.</summary>
    public void DropStreams()
    {
        foreach (var stream in _streams.Keys)
        {
            stream.Writer.TryComplete();
        }
    }

    public int CountCalls(string call) => Calls.Count(c => c == call);

    /// <summary>What Control answers a provisioning request it refuses: 400 with problem details, by field, from the contract's rules.</summary>
    private static IResult? Refusal(string userName, string? email)
    {
        var errors = new Dictionary<string, string[]>();
        if (UserNames.Validate(userName) is { } nameError)
        {
            errors["user"] = [nameError];
        }

        if (EmailAddresses.Validate(email) is { } emailError)
        {
            errors["email"] = [emailError];
        }

        return errors.Count > 0 ? Results.ValidationProblem(errors) : null;
    }

    /// <summary>The event with its generation and, as Control binds them, the owner its last provisioning request named.</summary>
    private WorkspaceChangeEvent Stamped(WorkspaceChangeEvent workspace)
    {
        if (workspace.OwnerId is null && _owners.TryGetValue(workspace.UserName, out var owner))
        {
            workspace = workspace with { OwnerId = owner };
        }

        var generation = _generations.AddOrUpdate(workspace.UserName, _ => Math.Max(1, workspace.Generation),
            (_, last) => workspace.Generation > 0 ? Math.Max(last, workspace.Generation) : last + 1);
        return workspace.Generation > 0 ? workspace : workspace with { Generation = generation };
    }

    private async Task<IResult> RecordAsync(string call, int status)
    {
        Calls.Enqueue(call);
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; inFlight > max; max = MaxInFlight)
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            await _released.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        if (Interlocked.Decrement(ref FailNextCalls) >= 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "try later");
        }

        Interlocked.Exchange(ref FailNextCalls, 0);
        return Results.StatusCode(status);
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }

    private async Task StreamChangesAsync(HttpContext context)
    {
        var channel = Channel.CreateUnbounded<WorkspaceChangeEvent?>();
        _streams[channel] = 0;
        try
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var workspace in _workspaces.Values)
            {
                await WriteAsync(context.Response, WorkspaceChangeEvent.WorkspaceEventType, JsonSerializer.Serialize(workspace, JsonSerializerOptions.Web));
            }

            await WriteAsync(context.Response, WorkspaceChangeEvent.ReadyEventType, "{}");
            await context.Response.WriteAsync(": keep-alive\n\n", context.RequestAborted);
            await foreach (var workspace in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await WriteAsync(context.Response, WorkspaceChangeEvent.WorkspaceEventType, JsonSerializer.Serialize(workspace, JsonSerializerOptions.Web));
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _streams.TryRemove(channel, out _);
        }
    }

    private static async Task WriteAsync(HttpResponse response, string eventType, string data)
    {
        await response.WriteAsync($"event: {eventType}\ndata: {data}\n\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>What the gateway's target saw; echoed back by <see cref="EchoWorkspace"/>.</summary>
public sealed record EchoedRequest(string Method, string Path, string Query, Dictionary<string, string> Headers);

/// <summary>A stand-in for a user's container on a loopback port: echoes what it received, speaks websocket at <c>/ws</c>.</summary>
public sealed class EchoWorkspace : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoWorkspace(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Where the gateway dials it, as Control reports a workspace's endpoint.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static async Task<EchoWorkspace> StartNewAsync()
    {
        var port = TestNetwork.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), System.Net.WebSockets.WebSocketMessageType.Text, true, context.RequestAborted);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
        });
        app.Map("/redirect-to-self", (HttpContext context) => Results.Redirect($"http://127.0.0.1:{port}/landed?x=1"));
        app.Map("/cookies", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "saaspanel.session=forged; path=/");
            context.Response.Headers.Append("Set-Cookie", "app-cookie=1; path=/");
            return Results.Text("cookies set");
        });
        app.Map("/missing", () => Results.StatusCode((int)HttpStatusCode.NotFound));
        app.MapFallback(async context =>
        {
            var echoed = new EchoedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            await context.Response.WriteAsJsonAsync(echoed);
        });
        await app.StartAsync();
        return new EchoWorkspace(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
