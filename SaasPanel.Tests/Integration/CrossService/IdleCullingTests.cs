using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Docker.DotNet.Models;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.CrossService;

/// <summary>
/// Idle culling end to end, with seconds for minutes: Auth's gateway on Kestrel (websockets need a real server)
/// records activity and reports it to the real Control, whose culler stops what nobody used, on the real engine.
/// </summary>
public sealed class IdleCullingTests : IAsyncLifetime
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);
    private const string NoteFile = "note.txt";

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Used_and_pinned_workspaces_stay_up_idle_ones_are_culled_and_wake_on_the_next_request_with_their_files()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(settings: new Dictionary<string, string?>
        {
            ["Culling:Interval"] = "00:00:00.500",
            ["Culling:IdleTimeout"] = s_idleTimeout.ToString(),
        }, port: controlPort);
        using var metrics = new ServiceMetrics(control.Factory.Services);
        var authPort = TestNetwork.FreePort();
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = control.Data.ApiKey,
            ["Gateway:Activity:ReportInterval"] = "00:00:01",
        });
        auth.UseKestrel(authPort);
        auth.StartServer();

        // busy: requests; chatty: websocket messages; idle: nothing; quiet: an open websocket that says nothing; pinned: nothing, but pinned.
        string[] users = ["busy", "chatty", "idle", "quiet", "pinned"];
        var browsers = users.ToDictionary(user => user, _ => new Browser(authPort));
        foreach (var (user, browser) in browsers)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.RegisterAsync(user, $"{user}@example.com", "password1")).StatusCode);
        }

        foreach (var (user, browser) in browsers)
        {
            await control.WaitForStateAsync(user, WorkspaceState.Running, s_deadline);
            await Eventually.AssertAsync(async () => (await browser.Http.GetAsync($"/u/{user}/")).StatusCode == HttpStatusCode.OK,
                s_deadline, $"{user}'s workspace reachable");
        }

        Assert.Equal(HttpStatusCode.Accepted, (await control.Api.PostAsync("/api/workspaces/pinned/pin", null)).StatusCode);
        await WriteNoteAsync(control, "idle");
        await WriteNoteAsync(control, "quiet");
        using var chatty = await browsers["chatty"].OpenSocketAsync("chatty");
        using var quiet = await browsers["quiet"].OpenSocketAsync("quiet");

        // Keep busy and chatty busy until the culler has stopped both idle ones, and for at least twice the timeout.
        var started = DateTime.UtcNow;
        while (!(await IsCulledAsync(control, "idle") && await IsCulledAsync(control, "quiet") && DateTime.UtcNow - started > 2 * s_idleTimeout))
        {
            Assert.True(DateTime.UtcNow - started < s_deadline, "idle and quiet were not culled in time");
            Assert.Equal(HttpStatusCode.OK, (await browsers["busy"].Http.GetAsync("/u/busy/")).StatusCode);
            Assert.Equal("ping", await EchoAsync(chatty, "ping"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        foreach (var user in new[] { "busy", "chatty", "pinned" })
        {
            var workspace = await control.GetAsync(user);
            Assert.True(workspace is { DesiredState: DesiredState.Running, State: WorkspaceState.Running }, $"{user} was stopped: {workspace}");
            Assert.Empty(await CulledAuditAsync(control, user));
        }

        Assert.NotNull((await control.GetAsync("busy"))!.LastActivity);
        Assert.True((await control.GetAsync("pinned"))!.Pinned);
        foreach (var user in new[] { "idle", "quiet" })
        {
            await control.WaitForStateAsync(user, WorkspaceState.Stopped, s_deadline);
            var culled = Assert.Single(await CulledAuditAsync(control, user));
            Assert.Equal(AuditLog.CullerActor, culled.Actor);
            Assert.Contains("idle for", culled.Detail);
        }

        Assert.Equal(2, metrics.Of("saaspanel.workspace.culled").Sum(m => m.Value));

        // The next visit gets the waiting page, which wakes the workspace; its files are where they were.
        foreach (var user in new[] { "idle", "quiet" })
        {
            var browser = browsers[user];
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.Http.GetAsync($"/u/{user}/")).StatusCode);
            await Eventually.AssertAsync(async () => (await browser.Http.GetAsync($"/u/{user}/")).StatusCode == HttpStatusCode.OK,
                s_deadline, $"{user} woken by a visit");
            Assert.Equal($"{user}'s note", await ReadNoteAsync(control, user));
        }

        foreach (var browser in browsers.Values)
        {
            browser.Dispose();
        }
    }

    private static async Task<bool> IsCulledAsync(ControlHost control, string user) =>
        (await control.GetAsync(user))?.DesiredState == DesiredState.Stopped;

    private static async Task<List<AuditEntry>> CulledAuditAsync(ControlHost control, string user)
    {
        var page = await control.Api.GetFromJsonAsync<Page<AuditEntry>>($"/api/audit?user={user}&action=culled", ControlHost.Json);
        return [.. page!.Items];
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    /// <summary>Writes a file into the workspace's volume through the engine's archive API (the image has no shell).</summary>
    private static async Task WriteNoteAsync(ControlHost control, string user)
    {
        using var archive = new MemoryStream();
        await using (var tar = new TarWriter(archive, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, NoteFile)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"{user}'s note")),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            await tar.WriteEntryAsync(entry);
        }

        archive.Position = 0;
        var containerId = (await control.GetAsync(user))!.ContainerId!;
        await control.Docker.Containers.ExtractArchiveToContainerAsync(containerId,
            new ContainerPathStatParameters { Path = WorkspaceContainer.Directory }, archive);
    }

    private static async Task<string> ReadNoteAsync(ControlHost control, string user)
    {
        var containerId = (await control.GetAsync(user))!.ContainerId!;
        var response = await control.Docker.Containers.GetArchiveFromContainerAsync(containerId,
            new GetArchiveFromContainerParameters { Path = $"{WorkspaceContainer.Directory}/{NoteFile}" }, statOnly: false);
        await using var tar = new TarReader(response.Stream);
        var entry = await tar.GetNextEntryAsync() ?? throw new InvalidOperationException($"{user}'s note is gone");
        using var reader = new StreamReader(entry.DataStream!);
        return await reader.ReadToEndAsync();
    }

    /// <summary>One signed-in user's browser: cookies shared by its HTTP client and its websockets.</summary>
    private sealed class Browser : IDisposable
    {
        private readonly CookieContainer _cookies = new();
        private readonly Uri _base;

        public Browser(int port)
        {
            _base = new Uri($"http://127.0.0.1:{port}");
            Client = new AuthTestClient(new HttpClient(
                new SocketsHttpHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = _base });
        }

        public AuthTestClient Client { get; }

        public HttpClient Http => Client.Http;

        public async Task<ClientWebSocket> OpenSocketAsync(string user)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Cookie", _cookies.GetCookieHeader(_base));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(new Uri($"ws://{_base.Authority}/u/{user}/ws"), timeout.Token);
            return socket;
        }

        public void Dispose() => Client.Dispose();
    }
}
